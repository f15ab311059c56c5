using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Domain.Accounts;
using Dokodemo.Seats;
using Dokodemo.Tests.Work;
using static Dokodemo.Tests.SeatsKit;

namespace Dokodemo.Tests;

/// <summary>Uploaded floor plans: anything that could run or fetch is refused with seat.plan_unsafe; the rest is cut to shapes.</summary>
public class SeatsPlanTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    public static TheoryData<string> Unsafe =>
    [
        """<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" ONCLICK="x()"/></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://evil.example/x.png"/></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg"><a href="https://evil.example/"><rect width="1" height="1"/></a></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg"><a href="java&#x09;script:alert(1)"><rect width="1" height="1"/></a></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" fill="url(https://evil.example/p.svg#g)"/></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url('//evil.example/x') }</style></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg"><metadata><script>alert(1)</script></metadata></svg>""",
        """<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>""",
    ];

    [Theory]
    [MemberData(nameof(Unsafe))]
    public void AnUnsafePlan_IsRefused(string svg) => Assert.Equal(SeatErrors.PlanUnsafe, PlanSanitizer.Sanitize(svg).Error);

    [Fact]
    public void ASafePlan_KeepsOnlyShapesAndPresentation_AndItsViewBoxSetsTheSize()
    {
        var result = PlanSanitizer.Sanitize("""
            <?xml version="1.0"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 1200 700" inkscape:version="1.3">
              <!-- drawn in Inkscape -->
              <metadata>created</metadata>
              <g id="walls" class="x" style="fill:red"><rect x="10" y="10" width="100" height="50" fill="#eee" stroke="#333"/></g>
              <text x="5" y="20">会議室 &lt;A&gt;</text>
              <path d="M0 0 L10 10" fill="url(#grad)"/>
            </svg>
            """);
        Assert.True(result.Ok, result.Error?.Code);
        var svg = result.Value!.Svg;
        Assert.Equal((1200, 700), (result.Value.Width, result.Value.Height));
        Assert.Contains("<rect x=\"10\" y=\"10\" width=\"100\" height=\"50\" fill=\"#eee\" stroke=\"#333\"", svg, StringComparison.Ordinal);
        Assert.Contains("会議室 &lt;A&gt;", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("metadata", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("style", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("class", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("inkscape", svg, StringComparison.Ordinal);
        Assert.Equal(SeatErrors.PlanInvalid, PlanSanitizer.Sanitize("<html><body/></html>").Error);
        Assert.Equal(SeatErrors.PlanInvalid, PlanSanitizer.Sanitize("<svg").Error);
    }

    [Fact]
    public async Task UploadingAPlan_OverHttp_RefusesScripts_AndServesTheCleanPlanAsAnImageUnderTheAppsCsp()
    {
        var floor = await FloorAsync(app);
        var dx = await app.PersonAsync(roles: [Roles.Staff, Roles.Dx]);
        var staff = await app.PersonAsync();
        var before = await JsonOf(await staff.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}"));
        Assert.False(before.GetProperty("hasPlan").GetBoolean());

        await Refused(await dx.Client.PutAsJsonAsync($"/api/v1/seats/admin/floors/{floor.Id}/plan",
            new { svg = """<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('/api/v1/me')"><rect width="5" height="5"/></svg>""" }),
            HttpStatusCode.BadRequest, "seat.plan_unsafe");
        await Refused(await dx.Client.PutAsJsonAsync($"/api/v1/seats/admin/floors/{floor.Id}/plan",
            new { svg = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://evil.example/s.svg#a"/></svg>""" }),
            HttpStatusCode.BadRequest, "seat.plan_unsafe");
        Assert.False((await JsonOf(await staff.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}"))).GetProperty("hasPlan").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await staff.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}/plan")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PutAsJsonAsync($"/api/v1/seats/admin/floors/{floor.Id}/plan",
            new { svg = """<svg xmlns="http://www.w3.org/2000/svg"/>""" })).StatusCode);

        var saved = await JsonOf(await dx.Client.PutAsJsonAsync($"/api/v1/seats/admin/floors/{floor.Id}/plan",
            new { svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 600"><rect x="0" y="0" width="1000" height="600" fill="#fff"/></svg>""" }));
        Assert.True(saved.GetProperty("hasPlan").GetBoolean());
        var plan = await staff.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}/plan");
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        Assert.Equal("image/svg+xml", plan.Content.Headers.ContentType!.MediaType);
        var csp = plan.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self' 'nonce-", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", plan.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("<rect", await plan.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATownWhosePolicyPredatesSeats_IsOfferedTheSeatRules_AndAddingThemOpensSeats()
    {
        string[] seatRules = ["allow-staff-seats", "allow-own-seat-bookings", "allow-hr-admin-seats", "allow-seat-settings"];
        var security = await app.PersonAsync(roles: [Roles.Staff, Roles.SecurityAdmin]);
        var staff = await app.PersonAsync();
        var policy = await security.Client.GetFromJsonAsync<JsonElement>("/api/v1/access/policy");
        var doc = System.Text.Json.Nodes.JsonNode.Parse(policy.GetProperty("json").GetString()!)!;
        var rules = doc["rules"]!.AsArray();
        foreach (var r in rules.Where(r => seatRules.Contains(r!["id"]!.GetValue<string>())).ToList())
        {
            rules.Remove(r);
        }

        Assert.Equal(HttpStatusCode.OK, (await security.Client.PutAsJsonAsync("/api/v1/access/policy",
            new { json = doc.ToJsonString(), basedOn = policy.GetProperty("version").GetInt32(), comment = "座席より前" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync("/api/v1/seats/sites")).StatusCode);
        var missing = await security.Client.GetFromJsonAsync<JsonElement>("/api/v1/access/policy/missing-defaults");
        Assert.Equal(seatRules.Order(StringComparer.Ordinal), missing.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await security.Client.PostAsync("/api/v1/access/policy/missing-defaults", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync("/api/v1/seats/sites")).StatusCode);
    }
}
