using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using Dokodemo.Work;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests.Work;

/// <summary>The batch question (approval lists) gives exactly the one-by-one answer.</summary>
public class ApproversTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    [Fact]
    public async Task ApprovedBy_AgreesWith_IsApprover_ForEveryPair()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string withManagers = "承認A" + suffix, withoutManagers = "承認B" + suffix, soleManager = "承認C" + suffix;
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            foreach (var name in new[] { withManagers, withoutManagers, soleManager })
            {
                db.Departments.Add(new Department { Code = name, Name = name, NameEn = name });
            }

            return await db.SaveChangesAsync();
        });

        async Task<string> Add(string department, params string[] roles) => await app.WithScopeAsync(async sp =>
        {
            var email = $"a-{Guid.NewGuid():N}"[..14] + "@example.jp";
            var result = await sp.GetRequiredService<UserAdmin>().AddAsync(new NewUser(email, "承認 " + email[2..6], AccountKind.Staff, department, null, roles), null);
            Assert.True(result.Ok, result.Error?.Code);
            return (await sp.GetRequiredService<AppUserManager>().FindByEmailAsync(email))!.Id;
        });

        var m1 = await Add(withManagers, Roles.Staff, Roles.Manager);
        var m2 = await Add(withManagers, Roles.Staff, Roles.Manager);
        var a = await Add(withManagers, Roles.Staff);
        var b = await Add(withoutManagers, Roles.Staff);
        var only = await Add(soleManager, Roles.Staff, Roles.Manager);
        var c = await Add(soleManager, Roles.Staff);
        var hr = await Add(withoutManagers, Roles.Staff, Roles.Hr);
        string[] everyone = [m1, m2, a, b, only, c, hr];

        foreach (var approver in everyone)
        {
            var batch = await app.WithScopeAsync(sp => sp.GetRequiredService<Approvers>().ApprovedByAsync(approver, everyone));
            foreach (var person in everyone)
            {
                var single = await app.WithScopeAsync(sp => sp.GetRequiredService<Approvers>().IsApproverAsync(approver, person));
                Assert.True(single == batch.Contains(person), $"approver {approver} for {person}: one by one {single}, batch {batch.Contains(person)}");
            }
        }

        // The cases themselves: the other manager approves a manager; HR approves where no other manager is.
        var ofM1 = await app.WithScopeAsync(sp => sp.GetRequiredService<Approvers>().ApprovedByAsync(m2, everyone));
        Assert.Contains(m1, ofM1);
        Assert.Contains(a, ofM1);
        var ofHr = await app.WithScopeAsync(sp => sp.GetRequiredService<Approvers>().ApprovedByAsync(hr, everyone));
        Assert.Contains(b, ofHr);
        Assert.Contains(only, ofHr);
        Assert.DoesNotContain(a, ofHr);
        Assert.DoesNotContain(hr, ofHr);
    }
}
