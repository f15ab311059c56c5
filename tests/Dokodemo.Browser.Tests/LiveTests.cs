using System.Globalization;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>A server of its own with the test clock and the seat release sweep every second.</summary>
public sealed class LiveServer : IAsyncLifetime
{
    public AppServer App { get; } = new(testClock: true);

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>
/// Live events in the browser: the staff persona books a desk at 9:45 and does not check in, then stays on the page.
/// Past 10:00 the release sweep cancels the booking and notifies her; the menu's unread count changes without a reload,
/// carried by the SSE stream (live.js), and the page hears the event as a DOM event for other features (Talk).
/// </summary>
public sealed class LiveTests(LiveServer server) : IClassFixture<LiveServer>
{
    private static readonly TimeZoneInfo Japan = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    [Fact]
    public async Task The_unread_badge_updates_live_when_a_notification_is_added()
    {
        var app = server.App;
        if (!app.Available)
        {
            return;
        }

        SetDefaultExpectTimeout(20_000);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Japan).DateTime).AddDays(1);
        var calendar = new Dokodemo.Domain.Calendar.TownCalendar();
        while (calendar.DayTypeOf(day) != Dokodemo.Domain.Access.DayType.Workday)
        {
            day = day.AddDays(1);
        }

        DateTimeOffset At(int h, int m, int s = 0) => new(day.ToDateTime(new TimeOnly(h, m, s)), TimeSpan.FromHours(9));
        app.SetClock(At(9, 45));
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        await using var context = await app.NewContextAsync();
        context.SetDefaultTimeout(45_000);
        var staff = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");
        await staff.GotoAsync($"/seats?date={date}&part=Full");
        await staff.Locator("#desk-1C-04").ClickAsync();
        await staff.Locator("#book-selected").ClickAsync();
        await Expect(staff.Locator("#seats-message")).ToContainTextAsync("予約しました");

        // A fresh page load: the stream opens from the id rendered into it. Mark the page so a reload would show.
        await staff.GotoAsync("/account");
        var badge = staff.Locator("#nav-unread");
        var before = await badge.CountAsync() == 0 ? 0 : int.Parse(await badge.InnerTextAsync(), CultureInfo.InvariantCulture);
        await staff.EvaluateAsync(@"() => {
            window.__stillHere = true;
            window.__live = [];
            document.addEventListener('dokodemo:live', e => window.__live.push(e.detail.type));
        }");
        // Give EventSource a moment to connect (not needed for correctness: it resumes from the rendered id).
        await Task.Delay(1000);

        app.SetClock(At(10, 0, 30));
        await staff.WaitForFunctionAsync($"() => Number(document.getElementById('nav-unread')?.textContent || 0) > {before}", null,
            new() { Timeout = 30_000 });

        Assert.True(await staff.EvaluateAsync<bool>("() => window.__stillHere === true"), "the page was reloaded");
        Assert.Contains("notification", await staff.EvaluateAsync<string[]>("() => window.__live"));
        // The spoken text follows the number (the badge itself is hidden from screen readers).
        var count = await badge.InnerTextAsync();
        await Expect(staff.Locator("#nav-notifications .nav-unread-text")).ToContainTextAsync(count);

        // The notification is there when she opens it, and the count agrees after a real page load.
        await staff.Locator("#nav-notifications").ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/notifications");
        await Expect(staff.Locator("#notifications")).ToContainTextAsync("1C-04");
        await Expect(staff.Locator("#nav-unread")).ToHaveTextAsync(count);
    }
}
