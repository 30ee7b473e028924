namespace MgAuth.Api.Security;

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

/// <summary>Authorization policy names used by the endpoint groups.</summary>
public static class Access
{
    public const string Providers = "providers";
    public const string CaseReaders = "case-readers";
    public const string Staff = "staff";
    public const string AnyRole = "any-role";
    public const string PolicyAuthors = "policy-authors";

    /// <summary>Those who activate and roll back releases: policy approvers only (four eyes).</summary>
    public const string PolicyApprovers = "policy-approvers";

    /// <summary>Those who run impact analyses: authors, approvers and admins.</summary>
    public const string ReleaseReaders = "release-readers";

    /// <summary>Those who see the review queue: the plan's reviewers and clinicians, and admins.</summary>
    public const string ReviewQueue = "review-queue";

    /// <summary>Those who claim and determine pended cases: reviewers and clinicians (role rules narrow what each may decide).</summary>
    public const string Reviewers = "reviewers";
}
