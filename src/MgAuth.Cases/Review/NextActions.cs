using System.Text.Json.Serialization;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>Something a person may do next on a case; when they may not, the service's own reason.</summary>
public sealed record NextAction(string Action, bool Allowed)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    public static NextAction Of(string action, Refusal? refusal) => new(action, refusal is null) { Reason = refusal?.Detail };

    public static NextAction Of(string action, string? refused) => new(action, refused is null) { Reason = refused };
}

/// <summary>
/// What a case is as the review rules read it: the case and its links, who holds it, its latest determination, the
/// appealed case's latest determination (for an appeal), and when it was decided.
/// </summary>
public sealed record CaseStanding(
    Case Case,
    string? AppealOf,
    IReadOnlyList<string> Appeals,
    ClaimRecord? Claim,
    DeterminationRecord? Determination,
    DeterminationRecord? AppealedDetermination,
    DateTimeOffset DecidedAt)
{
    /// <summary>The contract fields the request leaves out (a PAS request pended for them); null for a complete request.</summary>
    public IReadOnlyList<string>? MissingFacts { get; init; }
}

/// <summary>
/// What this person may do next on this case, each action with the service's answer: the same rules
/// (<see cref="CaseRules"/>) the workflow refuses with when the action is taken, in the same order.
/// </summary>
public static class NextActions
{
    public const string Claim = "claim";
    public const string Release = "release";
    public const string Appeal = "appeal";

    public static IReadOnlyList<NextAction> For(CaseStanding standing, Caller who, DateTimeOffset now, int appealWithinDays)
    {
        var decider = CaseRules.Deciders.Contains(who.Role) ? null : "Reviewers and clinicians claim and decide cases.";
        var actions = new List<NextAction>(8)
        {
            NextAction.Of(Claim, decider ?? (standing.Case.ClaimRefusal ?? CaseRules.HeldRefusal(standing.Claim, who))?.Detail),
            NextAction.Of(Release, ReleaseRefusal(standing, who)),
        };
        foreach (var action in Enum.GetValues<DeterminationAction>())
        {
            var refusal = decider ?? (CaseRules.DeterminationRefusal(action, who, standing.AppealOf is not null,
                    standing.AppealedDetermination)
                ?? standing.Case.Determine(action).Refusal ?? CaseRules.HeldRefusal(standing.Claim, who)
                ?? CaseRules.IncompleteRefusal(action, standing.MissingFacts))?.Detail;
            actions.Add(NextAction.Of(ContractNames.Of(action), refusal));
        }
        actions.Add(NextAction.Of(Appeal, who.Role != Security.Roles.Provider
            ? "The provider who asked appeals a decision."
            : (standing.Case.AppealRefusal(standing.Determination?.Action)
               ?? CaseRules.AppealWindowRefusal(standing.DecidedAt, now, appealWithinDays)
               ?? (standing.Appeals.Count > 0 ? CaseRefusals.AlreadyAppealed(standing.Appeals[0]) : null))?.Detail));
        return actions;
    }

    private static string? ReleaseRefusal(CaseStanding standing, Caller who)
    {
        if (!CaseRules.QueueWorkers.Contains(who.Role)) return "Reviewers, clinicians and admins release claims.";
        if (standing.Claim is null) return "Nobody holds the case.";
        return CaseRules.ReleaseRefusal(standing.Claim, who)?.Detail;
    }
}
