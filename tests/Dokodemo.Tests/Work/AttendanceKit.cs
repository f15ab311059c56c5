using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dokodemo.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Work.Attendance;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests.Work;

/// <summary>What the attendance tests share: people in departments with roles, the Japan-time clock, JSON.</summary>
public static class AttendanceKit
{
    public const string Password = "しずかな朝に川沿いを歩く2026";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>An enrolled, signed-in person in a department (created if missing). Resets the clock to now (enrolment checks a real TOTP code).</summary>
    public static async Task<(HttpClient Client, string Id)> PersonAsync(TestApp app, string department, string name, params string[] roles)
    {
        app.Clock.Offset = TimeSpan.Zero;
        var email = "att-" + Guid.NewGuid().ToString("N")[..10] + "@example.jp";
        var link = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Data.AppDbContext>();
            if (!db.Departments.Any(d => d.Name == department))
            {
                db.Departments.Add(new Organization.Department { Code = "D" + Guid.NewGuid().ToString("N")[..8], Name = department, NameEn = department });
                await db.SaveChangesAsync();
            }

            var result = await sp.GetRequiredService<UserAdmin>().AddAsync(new NewUser(email, name, AccountKind.Staff, department, null, roles.Length == 0 ? [Roles.Staff] : roles), null);
            Assert.True(result.Ok, result.Error?.Code);
            return result.Value!;
        });
        var client = app.NewClient();
        await TestApp.EnrolAsync(client, link.Url[(link.Url.LastIndexOf('/') + 1)..], Password);
        return (client, link.UserId);
    }

    public static DateOnly TodayJst => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).DateTime);

    /// <summary>The first day of last month (Japan time): a month that has ended, so it can be submitted.</summary>
    public static DateOnly LastMonth => new DateOnly(TodayJst.Year, TodayJst.Month, 1).AddMonths(-1);

    public static string MonthText(DateOnly m) => m.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset Jst(DateOnly date, int hour, int minute = 0) =>
        new(date.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(9));

    /// <summary>Moves the app's clock to a moment (only ever into the past, so sessions stay valid).</summary>
    public static void SetClock(TestApp app, DateTimeOffset at) => app.Clock.Offset = at - DateTimeOffset.UtcNow;

    public static async Task<HttpResponseMessage> ClockAsync(HttpClient client, string action, string? timeZone = null) =>
        await client.PostAsJsonAsync("/api/v1/work/clock", new { action, timeZone });

    public static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("code", out var c) ? c.GetString() : null;
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public static async Task<MonthDto> MonthAsync(HttpClient client, string personId, DateOnly month) =>
        await ReadAsync<MonthDto>(await client.GetAsync($"/api/v1/work/attendance?person={personId}&month={MonthText(month)}"));

    /// <summary>A plain workday of last month (a weekday that is not a holiday), counted from the start.</summary>
    public static DateOnly Workday(int nth = 0)
    {
        var calendar = new Domain.Calendar.TownCalendar();
        var d = LastMonth;
        var seen = 0;
        while (true)
        {
            if (calendar.Classify(d) == Domain.Calendar.CalendarDay.Workday)
            {
                if (seen++ == nth)
                {
                    return d;
                }
            }

            d = d.AddDays(1);
        }
    }

    /// <summary>Clocks a whole day: in, break 12:00–13:00, out (Japan time), by moving the clock.</summary>
    public static async Task WorkDayAsync(TestApp app, HttpClient client, DateOnly date, int inHour, int outHour, int outMinute = 0)
    {
        SetClock(app, Jst(date, inHour));
        Assert.True((await ClockAsync(client, "in")).IsSuccessStatusCode);
        SetClock(app, Jst(date, 12));
        Assert.True((await ClockAsync(client, "break_start")).IsSuccessStatusCode);
        SetClock(app, Jst(date, 13));
        Assert.True((await ClockAsync(client, "break_end")).IsSuccessStatusCode);
        SetClock(app, Jst(date, outHour, outMinute));
        Assert.True((await ClockAsync(client, "out")).IsSuccessStatusCode);
    }
}
