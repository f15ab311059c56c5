using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>What a person sees of the zero-trust decisions: a refusal that explains itself, their devices, the policy preview.</summary>
public sealed class AccessPagesTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task A_side_job_worker_is_refused_the_directory_with_a_reason_and_a_remedy()
    {
        if (!app.Available)
        {
            return;
        }

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "sidejob");
        await page.GotoAsync("/people");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/denied");
        await Expect(page.Locator("h1")).ToHaveTextAsync("このページは表示できません");
        await Expect(page.Locator("#denied-reason")).ToContainTextAsync("権限がありません");
        await Expect(page.Locator("#denied-remedy")).ToContainTextAsync("管理職またはシステム管理者");

        // The same in English.
        await page.Locator("form.lang-switch button[value=en]").ClickAsync();
        await Expect(page.Locator("#denied-reason")).ToContainTextAsync("do not give access");
    }

    [Fact]
    public async Task A_person_registers_the_device_they_are_using()
    {
        if (!app.Available)
        {
            return;
        }

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "staff");
        await page.GotoAsync("/account");
        await page.Locator("#devices-link").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/account/devices");
        var row = page.Locator("tr", new() { HasText = "この端末" });
        await Expect(row).ToContainTextAsync("未登録");
        await page.Locator("#register-device").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("登録しました");
        await Expect(page.Locator("tr", new() { HasText = "この端末" })).ToContainTextAsync("登録済み");
        await Expect(page.Locator("#register-device")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_security_admin_previews_a_policy_change_and_checks_a_persons_access()
    {
        if (!app.Available)
        {
            return;
        }

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "security");
        await page.GotoAsync("/admin/policy");
        await Expect(page.Locator("#current-h")).ToContainTextAsync("第1版");
        await Expect(page.Locator("table.rules").First).ToContainTextAsync("機密性3の情報は");

        // Turn off the rule that lets staff read the directory: the preview lists who would lose it; nothing is saved.
        var json = await page.Locator("#p-json").InputValueAsync();
        var at = json.IndexOf("\"allow-staff-directory\"", StringComparison.Ordinal);
        var enabled = json.IndexOf("\"enabled\": true", at, StringComparison.Ordinal);
        var edited = json[..enabled] + "\"enabled\": false" + json[(enabled + "\"enabled\": true".Length)..];
        Assert.NotEqual(json, edited);
        await page.Locator("#p-json").FillAsync(edited);
        await page.Locator("#policy-preview-button").ClickAsync();
        await Expect(page.Locator("#policy-preview")).ToBeVisibleAsync();
        await Expect(page.Locator("#losses")).ToContainTextAsync("職員名簿");
        await Expect(page.Locator("#current-h")).ToContainTextAsync("第1版");

        await page.GotoAsync("/admin/access-check");
        await page.Locator("#c-user").SelectOptionAsync(new SelectOptionValue { Index = 0 });
        await page.Locator("#c-resource").SelectOptionAsync("audit");
        await page.Locator("form.form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#check-verdict")).ToBeVisibleAsync();
        await Expect(page.Locator("#check-result table")).ToContainTextAsync("require-security-place");
    }
}
