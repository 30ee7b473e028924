namespace MgAuth.Api.Security;

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
