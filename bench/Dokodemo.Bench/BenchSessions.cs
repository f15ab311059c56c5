using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Bench;

/// <summary>A person of the bench town with a real server-side session (the cookie's value).</summary>
public sealed record Person(string Id, string Token);

/// <summary>Sessions for the benches that drive the app over HTTP (p3, p4, p6).</summary>
public static class BenchSessions
{
    /// <summary>
    /// A real server-side session for every insider who may sign in, without the UI: the principal from the app's own
    /// sign-in manager and claims factory (as SignIn.cs builds it, with the AuthMethod claim of a password + TOTP sign-in)
    /// and <see cref="Sessions.StartAsync"/>, exactly what the session handler does on sign-in. No device is registered.
    /// Staff and part-time staff, ordered by id.
    /// </summary>
    public static async Task<List<Person>> StartAsync(IServiceProvider services)
    {
        var sessions = services.GetRequiredService<Sessions>();
        List<string> ids;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            ids = await db.Users.AsNoTracking().Where(u => !u.IsDisabled && (u.Kind == AccountKind.Staff || u.Kind == AccountKind.PartTimeStaff))
                .OrderBy(u => u.Id).Select(u => u.Id).ToListAsync();
        }

        var people = new List<Person>(ids.Count);
        foreach (var chunk in ids.Chunk(100))
        {
            await using var scope = services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<AppUserManager>();
            var signIn = scope.ServiceProvider.GetRequiredService<AppSignInManager>();
            foreach (var id in chunk)
            {
                var user = await users.FindByIdAsync(id) ?? throw new InvalidOperationException("user " + id + " vanished");
                if (!await signIn.CanSignInAsync(user))
                {
                    continue;
                }

                var principal = await signIn.CreateUserPrincipalAsync(user);
                principal.Identities.First().AddClaim(new System.Security.Claims.Claim(AppClaims.AuthMethod, "pwd+totp"));
                var ticket = new AuthenticationTicket(principal, new AuthenticationProperties(), IdentityConstants.ApplicationScheme);
                people.Add(new Person(id, await sessions.StartAsync(ticket, null, null, default)));
            }
        }

        return people;
    }
}
