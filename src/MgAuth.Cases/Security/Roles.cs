namespace MgAuth.Cases.Security;

/// <summary>Who a key speaks for. Providers act for their own organization; the rest are the plan's staff.</summary>
public static class Roles
{
    public const string Provider = "provider";
    public const string Reviewer = "reviewer";
    public const string Clinician = "clinician";
    public const string PolicyAuthor = "policy_author";

    /// <summary>Approves (activates) and rolls back releases; never one they published themselves.</summary>
    public const string PolicyApprover = "policy_approver";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Provider, Reviewer, Clinician, PolicyAuthor, PolicyApprover, Admin];

    /// <summary>Plan staff who may see every organization's cases.</summary>
    public static bool SeesAllOrganizations(string role) => role is Reviewer or Clinician or Admin;
}
