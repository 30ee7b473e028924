using MgAuth.Cases.Security;

namespace MgAuth.Api.DevIdentity;

/// <summary>A person the embedded provider signs in: their subject, name, role, organization and (a clinician's) NPI.</summary>
public sealed record DemoPerson(string Subject, string Name, string Role, string OrganizationId, string? Npi);

/// <summary>
/// The people of the embedded development provider: one of each staff role at the plan, as the demo keys have (the
/// author, approver and admin with the person ids their demo keys name, so a key and a sign-in are the same person).
/// They are fixed: a subject never changes between starts, so what one of them did stays theirs. The list is written
/// to data/demo-people.txt and printed the first time (Development only; nothing of it is a secret).
/// </summary>
public sealed class DemoPeople(ILogger<DemoPeople> logger)
{
    public static readonly IReadOnlyList<DemoPerson> All =
    [
        new("demo-reviewer", "Riley Moss", Roles.Reviewer, "plan", null),
        new("demo-clinician", "Dr. Sam Okafor", Roles.Clinician, "plan", "1003000126"),
        new("demo-author", "Dana Reyes", Roles.PolicyAuthor, "plan", null),
        new("demo-approver", "Jordan Lee", Roles.PolicyApprover, "plan", null),
        new("demo-admin", "Chris Novak", Roles.Admin, "plan", null),
    ];

    public static DemoPerson? Find(string? subject) => All.FirstOrDefault(p => p.Subject == subject);

    /// <summary>Writes the list to <paramref name="file"/> and prints it, unless it was written before.</summary>
    public async Task WriteOnceAsync(string file, Uri issuer)
    {
        if (File.Exists(file)) return;
        var lines = All.Select(p => $"{p.Role,-16} {p.OrganizationId,-6} {p.Subject,-15} {p.Name}").ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        await File.WriteAllLinesAsync(file,
        [
            $"# MgAuth demo people (Development only): the console's Sign in goes to {issuer}auth/authorize; choose one by name.",
            .. lines,
        ]);
        logger.LogWarning("Demo people of the embedded identity provider {Issuer} (also in {File}):{NewLine}{People}",
            issuer, file, Environment.NewLine, string.Join(Environment.NewLine, lines));
    }
}
