using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Domain.Accounts;
using static Dokodemo.Tests.AuditTrailHelpers;

namespace Dokodemo.Tests.Work;

/// <summary>The town's working-time rule settings (section J): designations, 36協定, 特例業務 and the parameters.</summary>
public class RulesTests(RulesTests.App app) : IClassFixture<RulesTests.App>
{
    public sealed class App : TestApp;

    private static async Task<int> DepartmentAsync(HttpClient client)
    {
        var departments = await client.GetFromJsonAsync<JsonElement>("/api/v1/directory/departments");
        return departments.EnumerateArray().First().GetProperty("id").GetInt32();
    }

    private static async Task<string> CodeOf(HttpResponseMessage r, HttpStatusCode status)
    {
        Assert.Equal(status, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task Designations_AndAgreements_AreSetByHr_ReadByStaff_AndBadInputChangesNothing()
    {
        var (staff, _) = await PersonAsync(app, "規則 職員", Roles.Staff);
        var (hr, _) = await PersonAsync(app, "規則 人事", Roles.Staff, Roles.Hr);
        var dept = await DepartmentAsync(staff);

        var designation = new { departmentId = dept, pace = "OtherDirected", from = "2025-04-01", note = "災害対応の多い課" };
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync("/api/v1/work/rules/designations", designation)).StatusCode);
        Assert.Equal("work.rules.period_invalid", await CodeOf(await hr.PostAsJsonAsync("/api/v1/work/rules/designations",
            new { departmentId = dept, pace = "OtherDirected", from = "2025-04-01", to = "2025-03-31" }), HttpStatusCode.BadRequest));
        Assert.Equal("work.rules.target_invalid", await CodeOf(await hr.PostAsJsonAsync("/api/v1/work/rules/designations",
            new { pace = "OtherDirected", from = "2025-04-01" }), HttpStatusCode.BadRequest));
        Assert.Equal("work.rules.target_invalid", await CodeOf(await hr.PostAsJsonAsync("/api/v1/work/rules/designations",
            new { departmentId = 999_999, pace = "OtherDirected", from = "2025-04-01" }), HttpStatusCode.BadRequest));
        Assert.Empty((await staff.GetFromJsonAsync<JsonElement>("/api/v1/work/rules")).GetProperty("designations").EnumerateArray());

        var added = await hr.PostAsJsonAsync("/api/v1/work/rules/designations", designation);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var view = await staff.GetFromJsonAsync<JsonElement>("/api/v1/work/rules");
        var row = Assert.Single(view.GetProperty("designations").EnumerateArray());
        Assert.Equal("OtherDirected", row.GetProperty("pace").GetString());
        Assert.Equal("2025-04-01", row.GetProperty("from").GetString());

        var agreement = await hr.PostAsJsonAsync("/api/v1/work/rules/agreements", new { departmentId = dept, name = "水道事業所 36協定", from = "2025-10-01", startMonth = 10, specialClause = true });
        Assert.Equal(HttpStatusCode.OK, agreement.StatusCode);
        Assert.Equal("work.rules.name_required", await CodeOf(await hr.PostAsJsonAsync("/api/v1/work/rules/agreements",
            new { departmentId = dept, name = " ", from = "2025-10-01", startMonth = 10 }), HttpStatusCode.BadRequest));
        Assert.Equal("work.rules.period_invalid", await CodeOf(await hr.PostAsJsonAsync("/api/v1/work/rules/agreements",
            new { departmentId = dept, name = "x", from = "2025-10-01", startMonth = 13 }), HttpStatusCode.BadRequest));

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.DeleteAsync($"/api/v1/work/rules/designations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await hr.DeleteAsync($"/api/v1/work/rules/designations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hr.DeleteAsync($"/api/v1/work/rules/designations/{id}")).StatusCode);
    }

    [Fact]
    public async Task Parameters_AreValidatedWhole_AndAnInvalidSetSavesNothing()
    {
        var (hr, _) = await PersonAsync(app, "数値 人事", Roles.Staff, Roles.Hr);
        var current = (await hr.GetFromJsonAsync<JsonElement>("/api/v1/work/rules")).GetProperty("parameters");
        Assert.Equal(45 * 60, current.GetProperty("caps").GetProperty("monthlyMinutes").GetInt32());
        Assert.Equal(4, current.GetProperty("caps").GetProperty("yearStartMonth").GetInt32());

        var bad = await hr.PutAsJsonAsync("/api/v1/work/rules/parameters", new { caps = new { yearStartMonth = 13 } });
        Assert.Equal("work.rules.invalid", await CodeOf(bad, HttpStatusCode.BadRequest));
        Assert.Equal(4, (await hr.GetFromJsonAsync<JsonElement>("/api/v1/work/rules")).GetProperty("parameters").GetProperty("caps").GetProperty("yearStartMonth").GetInt32());

        var badRate = await hr.PutAsJsonAsync("/api/v1/work/rules/parameters", new { pay = new { workdayRate = 12.5m } });
        Assert.Equal("work.rules.invalid", await CodeOf(badRate, HttpStatusCode.BadRequest));

        // A town with a 45-minute lunch and a 10-hour interval target.
        var ok = await hr.PutAsJsonAsync("/api/v1/work/rules/parameters", new { dayRules = new { regularBreakMinutes = 45, intervalMinutes = 600 } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var saved = (await hr.GetFromJsonAsync<JsonElement>("/api/v1/work/rules")).GetProperty("parameters");
        Assert.Equal(600, saved.GetProperty("dayRules").GetProperty("intervalMinutes").GetInt32());
        Assert.Equal(45 * 60, saved.GetProperty("caps").GetProperty("monthlyMinutes").GetInt32()); // untouched parts keep their defaults
        Assert.Equal(2, saved.GetProperty("dayRules").GetProperty("breakThresholds").GetArrayLength());
        Assert.Equal(1.25m, saved.GetProperty("pay").GetProperty("workdayRate").GetDecimal()); // the payroll's rates are part of the town's settings
    }

    [Fact]
    public async Task SpecialDuty_IsHrOnly_OnePerMonth_AndItsAnalysisIsRecorded()
    {
        var (staff, staffId) = await PersonAsync(app, "特例 職員", Roles.Staff);
        var (manager, _) = await PersonAsync(app, "特例 課長", Roles.Staff, Roles.Manager);
        var (hr, _) = await PersonAsync(app, "特例 人事", Roles.Staff, Roles.Hr);
        var duty = new { userId = staffId, month = "2025-08", duty = "台風第10号の災害対応" };
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync("/api/v1/work/special-duties", duty)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/v1/work/special-duties")).StatusCode);

        var added = await hr.PostAsJsonAsync("/api/v1/work/special-duties", duty);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        Assert.Equal("work.rules.duplicate", await CodeOf(await hr.PostAsJsonAsync("/api/v1/work/special-duties", duty), HttpStatusCode.Conflict));
        Assert.Equal("work.rules.period_invalid", await CodeOf(await hr.PostAsJsonAsync("/api/v1/work/special-duties",
            new { userId = staffId, month = "2025-13", duty = "x" }), HttpStatusCode.BadRequest));
        Assert.Equal("work.rules.analysis_required", await CodeOf(await hr.PostAsJsonAsync($"/api/v1/work/special-duties/{id}/analysis", new { analysis = "" }), HttpStatusCode.BadRequest));

        var analysed = await hr.PostAsJsonAsync($"/api/v1/work/special-duties/{id}/analysis", new { analysis = "避難所運営の人員不足。応援協定の見直しを行う。" });
        Assert.Equal(HttpStatusCode.OK, analysed.StatusCode);
        var list = await hr.GetFromJsonAsync<JsonElement>($"/api/v1/work/special-duties?person={staffId}");
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal("2025-08-01", row.GetProperty("month").GetString());
        Assert.StartsWith("避難所運営", row.GetProperty("analysis").GetString(), StringComparison.Ordinal);
        Assert.NotNull(row.GetProperty("analysisAt").GetString());
    }
}
