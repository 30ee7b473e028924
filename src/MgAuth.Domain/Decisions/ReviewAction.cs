namespace MgAuth.Domain.Decisions;

/// <summary>
/// The X12 278 review action (element 306) of a case's status, worked out here alone: the engine's decision, a
/// person's determination laid over it and the PAS response all read it from this.
/// </summary>
public static class ReviewAction
{
    public const string CertifiedInTotal = "A1";
    public const string NotCertified = "A3";
    public const string Pended = "A4";
    public const string Modified = "A6";

    /// <param name="lessThanAsked">An approval of less than was asked: a modified regimen or a shortened period.</param>
    public static string Of(CaseStatus status, bool lessThanAsked) => status switch
    {
        CaseStatus.Approved => lessThanAsked ? Modified : CertifiedInTotal,
        CaseStatus.Denied => NotCertified,
        _ => Pended,
    };

    /// <summary>Whether the action approves something (in total or modified).</summary>
    public static bool Approves(string action) => action is CertifiedInTotal or Modified;
}
