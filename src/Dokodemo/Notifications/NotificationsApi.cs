using Dokodemo.Access;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Notifications;

/// <summary>
/// /api/v1/me/notifications: the caller's own notifications. Access: the "self" resource (everyone's own account,
/// Relation.Self), and every query is scoped to the caller, so another person's notification is simply not found.
/// </summary>
public static class NotificationsApi
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<NotificationService>();
        return builder;
    }

    public static WebApplication MapNotifications(this WebApplication app)
    {
        var me = app.MapGroup("/api/v1/me/notifications").WithTags("Notifications").RequireAuthorization(Policies.Self);
        me.MapGet("", List);
        me.MapPost("/{id:guid}/read", MarkRead);
        me.MapPost("/read", MarkAllRead);
        return app;
    }

    public static async Task<Ok<NotificationList>> List(bool? unread, NotificationService notifications, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(new NotificationList(await notifications.UnreadCountAsync(me.Id, ct), await notifications.ListAsync(me.Id, unread == true, ct)));

    public static async Task<Results<Ok<NotificationDto>, ProblemHttpResult>> MarkRead(Guid id, NotificationService notifications, CurrentUser me, CancellationToken ct)
    {
        var result = await notifications.MarkReadAsync(me.Id, id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Ok<MarkedRead>> MarkAllRead(NotificationService notifications, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(new MarkedRead(await notifications.MarkAllReadAsync(me.Id, ct)));
}

public sealed record NotificationList(int Unread, IReadOnlyList<NotificationDto> Items);

public sealed record MarkedRead(int Marked);
