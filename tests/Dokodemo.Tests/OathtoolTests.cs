using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dokodemo.Tests;

/// <summary>
/// R08/R09 with codes from an independent implementation: Debian's oathtool (RFC 6238). test.sh installs it in CI;
/// elsewhere a missing oathtool is reported and the test ends early.
/// </summary>
public class OathtoolTests(OathtoolTests.App app) : IClassFixture<OathtoolTests.App>
{
    public sealed class App : TestApp;

    private const string Password = "correct horse battery staple";
    private const string Oathtool = "/usr/bin/oathtool";

    private static string Code(string secret, string when)
    {
        var psi = new ProcessStartInfo(Oathtool, ["--totp", "-b", "-N", when, secret]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var code = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0 && code.Length == 6, $"oathtool failed: {p.StandardError.ReadToEnd()}");
        return code;
    }

    [Fact]
    public async Task ACodeFromOathtool_SignsIn_OnceOnly_AndAStaleOneFails()
    {
        if (!File.Exists(Oathtool))
        {
            Assert.NotEqual("true", Environment.GetEnvironmentVariable("CI"));
            Console.Error.WriteLine("!!! oathtool is not installed (apt-get install oathtool): OathtoolTests did not run");
            return;
        }

        var email = $"oath-{Guid.NewGuid():N}"[..13] + "@example.jp";
        var (secret, _) = await TestApp.EnrolAsync(app.NewClient(), await app.InviteAsync(email), Password);

        async Task<HttpResponseMessage> SignInAsync(string code)
        {
            var client = app.NewClient();
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/password", new { email, password = Password })).StatusCode);
            return await client.PostAsJsonAsync("/api/v1/auth/totp", new { code });
        }

        // Enrolment used the current step; the next step's code (30 s ahead, inside the ±1 window) signs in.
        var next = Code(secret, "now + 30 seconds");
        var first = await SignInAsync(next);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // The same code again: refused (one use, R08), with the generic answer.
        var again = await SignInAsync(next);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal("auth.failed", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // A code from 90 seconds ago (three steps back, outside ±1, R09): refused.
        var stale = await SignInAsync(Code(secret, "now - 90 seconds"));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
    }
}
