using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>
/// Who may work a case: the refusals the review workflow answers a person with, each written once (what the case's
/// status allows is the <see cref="Case"/>'s). The workflow
/// applies them when a person acts; <see cref="NextActions"/> applies them to say beforehand what a person may do.
/// </summary>
public static class CaseRules
{
    /// <summary>Who claims and determines pended cases (the role rules below narrow what each may decide).</summary>
    public static IReadOnlyList<string> Deciders { get; } = [Roles.Reviewer, Roles.Clinician];

    /// <summary>Who works the review queue: the deciders, and admins, who may release anyone's claim.</summary>
    public static IReadOnlyList<string> QueueWorkers { get; } = [Roles.Reviewer, Roles.Clinician, Roles.Admin];

    /// <summary>
    /// §1: no algorithm, and no non-clinician, is the basis of a medical-necessity denial or modification;
    /// appeals go to a clinician. Null when the role may; otherwise why not.
    /// </summary>
    public static string? RoleRefusalFor(DeterminationAction action, string role, bool isAppeal)
    {
        if (role == Roles.Clinician) return null;
        if (isAppeal) return "An appeal is decided by a clinician.";
        return IsAdverse(action)
            ? "Only a clinician may deny or modify a request on medical necessity; a reviewer may approve or request information."
            : null;
    }

    /// <summary>
    /// A denial or modification on medical necessity, and any decision of an appeal, is signed by an identifiable
    /// clinician: the key that makes it must carry an NPI. Null when it may; otherwise why not.
    /// </summary>
    public static string? UnsignedRefusalFor(DeterminationAction action, string? signerNpi, bool isAppeal)
    {
        if (signerNpi is not null) return null;
        if (isAppeal) return "An appeal is decided by an identifiable clinician, and this API key carries no NPI. Ask an admin for a key with your NPI.";
        return IsAdverse(action)
            ? "A denial or modification on medical necessity is signed by an identifiable clinician, and this API key carries no NPI. Ask an admin for a key with your NPI."
            : null;
    }

    /// <summary>
    /// Whether this person may take the action on this case (§1: only a clinician denies or modifies on medical
    /// necessity; an appeal goes to a clinician who did not make the appealed determination, <paramref name="appealed"/>).
    /// </summary>
    public static Refusal? DeterminationRefusal(DeterminationAction action, Caller who, bool isAppeal, DeterminationRecord? appealed)
    {
        if (RoleRefusalFor(action, who.Role, isAppeal) is { } refusal)
            return new Refusal(RefusalKind.ClinicianRequired, "A clinician must make this determination", refusal);
        if (UnsignedRefusalFor(action, who.Npi, isAppeal) is { } unsigned)
            return new Refusal(RefusalKind.NpiRequired, "An identifiable clinician must sign this determination", unsigned);
        // Independence is per person: the appealed determination's person (issuer and subject, whichever key or sign-in), its
        // key, and its NPI.
        if (isAppeal && appealed is not null && (who.IsSamePersonAs(appealed.ReviewerKeyId, appealed.ReviewerPerson)
                || (appealed.ReviewerNpi is not null && appealed.ReviewerNpi == who.Npi)))
            return new Refusal(RefusalKind.IndependentReviewerRequired, "Another clinician must decide the appeal",
                "The clinician who made the appealed determination may not decide its appeal, with this key or any other.");
        return null;
    }

    /// <summary>
    /// A request missing the facts the contract requires (<paramref name="missingFacts"/>, null for a complete one; a PAS
    /// request pended for them) is not decided by a person either: the policy pends missing documentation and never
    /// denies for it, and nothing left out can be approved. Only a request for information applies; the provider's
    /// update decides the case. Refused as a bad <c>action</c>.
    /// </summary>
    public static Refusal? IncompleteRefusal(DeterminationAction action, IReadOnlyList<string>? missingFacts)
    {
        if (missingFacts is null || action == DeterminationAction.RequestInformation) return null;
        var why = $"the request leaves out {string.Join(", ", missingFacts)}: only request_information applies until the provider sends them";
        return Refusal.Rejected(ProblemDocument.InvalidRequest(new Dictionary<string, string[]> { ["action"] = [why] })) with { Detail = why };
    }

    /// <summary>Someone else's unexpired claim: held against everyone but its holder (the same person, with any key or a sign-in).</summary>
    public static Refusal? HeldRefusal(ClaimRecord? claim, Caller who) =>
        claim is not null && !ReviewStore.IsHolder(claim, who.Actor) ? CaseRefusals.Held(claim) : null;

    /// <summary>A claim is given up by its holder, or by an admin.</summary>
    public static Refusal? ReleaseRefusal(ClaimRecord? claim, Caller who) =>
        who.Role == Roles.Admin ? null : HeldRefusal(claim, who);

    /// <summary>A decision may be appealed within <paramref name="withinDays"/> of when it was made (<paramref name="decidedAt"/>).</summary>
    public static Refusal? AppealWindowRefusal(DateTimeOffset decidedAt, DateTimeOffset now, int withinDays) =>
        now > decidedAt.AddDays(withinDays)
            ? new Refusal(RefusalKind.AppealWindowClosed, "The time to appeal has passed",
                $"A decision may be appealed within {withinDays} days; this one was made on {decidedAt:yyyy-MM-dd}.")
            : null;

    private static bool IsAdverse(DeterminationAction action) => action is DeterminationAction.Deny or DeterminationAction.ApproveModified;
}
