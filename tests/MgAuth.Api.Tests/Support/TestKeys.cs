using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests.Support;

/// <summary>One key per role: two provider organizations and the plan's staff.</summary>
public sealed record TestKeys(IssuedKey ProviderA, IssuedKey ProviderB, IssuedKey Reviewer, IssuedKey Clinician, IssuedKey PolicyAuthor, IssuedKey Admin,
    IssuedKey PolicyApprover)
{
    public const string OrgA = "org-a";
    public const string OrgB = "org-b";
    public const string Plan = "plan";

    /// <summary>The plan clinician's NPI: a denial, a modification and an appeal are signed by an identifiable clinician.</summary>
    public const string ClinicianNpi = "1111111112";

    /// <summary>The person behind the policy author's key (authors and approvers name theirs: four eyes compare persons).</summary>
    public const string AuthorPerson = "P-author";

    /// <summary>The person behind the clinician's key.</summary>
    public const string ClinicianPerson = "P-clinician";

    public static TestKeys Create(IServiceProvider services)
    {
        var keys = services.GetRequiredService<ApiKeys>();
        return new TestKeys(
            keys.Create(OrgA, Roles.Provider, "Org A portal", "1234567893"),
            keys.Create(OrgB, Roles.Provider, "Org B portal", "1245319599"),
            keys.Create(Plan, Roles.Reviewer, "Reviewer", personId: "P-reviewer"),
            keys.Create(Plan, Roles.Clinician, "Clinician", ClinicianNpi, ClinicianPerson),
            keys.Create(Plan, Roles.PolicyAuthor, "Policy author", personId: AuthorPerson),
            keys.Create(Plan, Roles.Admin, "Admin", personId: "P-admin"),
            keys.Create(Plan, Roles.PolicyApprover, "Policy approver", personId: "P-approver"));
    }

    /// <summary>The key named as in the access tables: provider (org A), provider_b, reviewer, clinician, policy_author, admin, policy_approver.</summary>
    public IssuedKey Named(string name) => name switch
    {
        Roles.Provider => ProviderA,
        "provider_b" => ProviderB,
        Roles.Reviewer => Reviewer,
        Roles.Clinician => Clinician,
        Roles.PolicyAuthor => PolicyAuthor,
        Roles.Admin => Admin,
        Roles.PolicyApprover => PolicyApprover,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such test key"),
    };
}
