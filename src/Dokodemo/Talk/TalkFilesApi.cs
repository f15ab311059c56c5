using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dokodemo.Talk;

/// <summary>
/// Files in Talk's API: <c>POST /api/v1/talk/channels/{id}/messages/upload</c> (multipart/form-data: <c>body</c>,
/// optional <c>threadRootId</c>, up to five <c>files</c>) posts a message with its files in one go;
/// <c>GET /api/v1/talk/files/{id}</c> downloads one (always as an attachment).
/// </summary>
public static class TalkFilesApi
{
    public static WebApplication MapTalkFilesApi(this WebApplication app)
    {
        var o = app.Services.GetRequiredService<IOptions<TalkFileOptions>>().Value;
        var talk = app.MapGroup("/api/v1/talk").WithTags("Talk").RequireAuthorization(TalkApi.Policy);
        // The request may carry all the files of a message, plus the form around them; each file is checked against its own limit.
        talk.MapPost("/channels/{id:int}/messages/upload", Upload)
            .Accepts<IFormFileCollection>("multipart/form-data")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(o.MaxMessageBytes + (1024 * 1024)))
            .WithFormOptions(multipartBodyLengthLimit: o.MaxMessageBytes + (1024 * 1024));
        talk.MapGet("/files/{fileId:long}", Download);
        return app;
    }

    /// <summary>
    /// A refusal of Talk's files as ProblemDetails: its sentence names the limit or the file. Antiforgery is not asked of
    /// this endpoint as of the other JSON endpoints: the API's cross-site check (Origin / Sec-Fetch-Site) applies.
    /// </summary>
    public static ProblemHttpResult Problem(Error error)
    {
        var problem = Problems.Create(error.Code, error.Status, error.Details);
        problem.Title = problem.Detail = TalkFiles.Describe(error);
        return TypedResults.Problem(problem);
    }

    public static async Task<Results<Created<MessageDto>, ProblemHttpResult>> Upload(int id, HttpRequest request, TalkFiles files, TalkAccess access,
        CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        if (!request.HasFormContentType)
        {
            return Problem(TalkFileErrors.UploadInvalid);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return Problem(TalkFileErrors.TotalTooLarge(files.Options.MaxMessageBytes));
        }

        long? root = null;
        if (form["threadRootId"].ToString() is { Length: > 0 } rootText)
        {
            if (!long.TryParse(rootText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var r))
            {
                return TalkApi.Problem(TalkErrors.ThreadRootInvalid);
            }

            root = r;
        }

        var result = await files.PostAsync(g.Value!, access.UserId, form["body"].ToString(), root, [.. form.Files], ct);
        return result.Ok
            ? TypedResults.Created($"/api/v1/talk/channels/{id}/messages/{result.Value!.Id}", result.Value)
            : Problem(result.Error!);
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(long fileId, HttpResponse response, TalkFiles files, CancellationToken ct)
    {
        var r = await files.OpenAsync(fileId, ct);
        if (!r.Ok)
        {
            return r.Error!.Code.StartsWith("talk.file", StringComparison.Ordinal) ? Problem(r.Error!) : TalkApi.Problem(r.Error!);
        }

        response.Headers.CacheControl = "private, no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        // Attachment always (never shown in the page, even images), with the name in RFC 5987 form for Japanese names.
        return TypedResults.File(r.Value!.Content, r.Value.ContentType, r.Value.Name);
    }
}
