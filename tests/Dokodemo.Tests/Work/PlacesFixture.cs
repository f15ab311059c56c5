using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests.Work;

/// <summary>
/// An app whose clock stands on a Wednesday working day at 10:00:20 Japan time (moving with real time from there), with
/// two departments, the town's sites, and the trusted proxy's country header (for work from abroad).
/// </summary>
public sealed class PlacesApp : TestApp
{
    public static readonly TimeZoneInfo Japan = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public PlacesApp() : base("Demo", seed: false, extra: new()
    {
        ["Dokodemo__Access__TownNetworks__0"] = "127.0.0.0/8",
        ["Dokodemo__Access__TrustedProxies__0"] = "10.9.9.9",
        ["Dokodemo__Access__CountryHeader"] = "X-Client-Country",
    })
    {
        var calendar = new Domain.Calendar.TownCalendar();
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Japan).DateTime).AddDays(1);
        // A Wednesday whose whole week (Mon–Fri) is working days, so every test has yesterday, today and tomorrow to work with.
        while (day.DayOfWeek != DayOfWeek.Wednesday || Enumerable.Range(-2, 5).Any(i => calendar.DayTypeOf(day.AddDays(i)) != Domain.Access.DayType.Workday))
        {
            day = day.AddDays(1);
        }

        Today = day;
        var target = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0, 20)), TimeSpan.FromHours(9));
        Clock.Offset = target - DateTimeOffset.UtcNow;
        WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            await EnsureDepartmentAsync(sp);
            db.Departments.Add(new Department { Code = "JUMIN", Name = "住民課", NameEn = "Residents" });
            db.Departments.Add(new Department { Code = "ZEIMU", Name = "税務課", NameEn = "Taxation" });
            db.Sites.AddRange(Demo.DemoTown.NewSites());
            await db.SaveChangesAsync();
            return 0;
        }).GetAwaiter().GetResult();
    }

    /// <summary>The app's "today" (Japan time): a Wednesday working day.</summary>
    public DateOnly Today { get; }

    public const string Password = "correct horse battery staple";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A new person, enrolled and signed in, in a department, with roles. Codes follow the app's (moved) clock.</summary>
    public Task<Person> PersonAsync(string department = "総務課", AccountKind kind = AccountKind.Staff, string? from = null, params string[] roles) =>
        EnrolPersonAsync(Password, department, kind, from, roles);

    /// <summary>Signs in again (after the clock moved past the session's life), with a code for the clock's next step.</summary>
    public async Task<HttpClient> SignInAgainAsync(Person person, string? from = null)
    {
        var client = NewClient();
        if (from is not null)
        {
            client.DefaultRequestHeaders.Add(RemoteIpHeader, from);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/password", new { email = person.Email, password = Password })).StatusCode);
        var code = Code(person.Secret, Totp.StepAt(Clock.GetUtcNow()) + 1);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/totp", new { code })).StatusCode);
        return client;
    }

    public static async Task<string?> CodeOf(HttpResponseMessage r) =>
        (await r.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("code", out var c) ? c.GetString() : null;

    public async Task<int> SiteIdAsync(SiteKind kind) =>
        await WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<AppDbContext>().Sites.First(s => s.Kind == kind).Id));

    public async Task<int> DepartmentIdAsync(string name) =>
        await WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<AppDbContext>().Departments.First(d => d.Name == name).Id));

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record Person(HttpClient Client, string Id, string Email, string Secret);
