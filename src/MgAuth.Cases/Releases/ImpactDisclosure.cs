using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Releases;

/// <summary>
/// Shapes impact findings for their reader. A candidate's code chooses each stored case's outcome, so a per-case
/// answer is a per-case readout of whatever the code can see (the attack of issue 18 read every member id that way).
/// Only a role that may read cases anyway gets ids and exact counts; every other reader gets aggregate counts with
/// small ones hidden, ordered by name (never by size, which would rank hidden counts). The residual channel —
/// differencing counts of 11 and over across runs — is bounded and stated in the README's Security section.
/// </summary>
public static class ImpactDisclosure
{
    /// <summary>Counts under this are answered as "&lt;11" to readers who may not read cases.</summary>
    public const int SmallCountBelow = 11;

    // What a worker may answer, whatever the pack: a decision/status of the contract, or failed; a code of the closed set.
    // A counts-only report names nothing else, so its size — and the README's bound — holds even for a forged answer.
    private static readonly HashSet<string> Outcomes =
        [.. ContractNames.All<Outcome>().SelectMany(o => ContractNames.All<CaseStatus>().Select(s => $"{o}/{s}")), ImpactAnalyzer.DecisionFailed];

    private const string Unknown = "unknown";

    public static ImpactReport Shape(ImpactFindings findings, bool perCase, bool releaseApproved)
    {
        ReportedCount Count(int n) => perCase || n >= SmallCountBelow ? ReportedCount.Of(n) : ReportedCount.Hidden;
        string Outcome(string name) => perCase || Outcomes.Contains(name) ? name : Unknown;
        string Code(string code) => perCase || ReasonCodes.All.Contains(code) ? code : Unknown;

        var changes = perCase ? findings.Changes : findings.Changes.Select(c => c with
        {
            From = Outcome(c.From), To = Outcome(c.To), ReasonsAdded = [.. c.ReasonsAdded.Select(Code)], ReasonsRemoved = [.. c.ReasonsRemoved.Select(Code)],
        }).ToArray();
        var transitions = changes.GroupBy(c => (c.From, c.To))
            .OrderBy(g => g.Key.From, StringComparer.Ordinal).ThenBy(g => g.Key.To, StringComparer.Ordinal)
            .Select(g => new Transition(g.Key.From, g.Key.To, Count(g.Count())))
            .ToArray();
        var byCode = changes
            .SelectMany(c => c.ReasonsAdded.Select(code => (code, added: 1, removed: 0)).Concat(c.ReasonsRemoved.Select(code => (code, added: 0, removed: 1))))
            .GroupBy(x => x.code)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ReasonShift(g.Key, Count(g.Sum(x => x.added)), Count(g.Sum(x => x.removed))))
            .ToArray();
        return new ImpactReport(findings.CandidateSha256, Count(findings.Redecided), Count(findings.Changed), Count(findings.Skipped),
            Count(findings.Failed), PerCaseReasonCodes: perCase, transitions, byCode, perCase ? findings.Changes : [])
        {
            PerCase = perCase,
            SmallCountsHiddenBelow = perCase ? null : SmallCountBelow,
            ReleaseApproved = releaseApproved,
        };
    }

    /// <summary>
    /// The audit entry's detail: the counts as a reader who may not read cases sees them (the audit log is read by
    /// every staff role, authors included), and what this caller was shown.
    /// </summary>
    public static string AuditDetail(ImpactFindings findings, bool perCase, bool releaseApproved, string? run = null)
    {
        var counts = Shape(findings, perCase: false, releaseApproved);
        return $"redecided {counts.Redecided}, changed {counts.Changed}, skipped {counts.Skipped}, failed {counts.Failed}; "
            + (perCase ? "shown per case (ids, exact counts)" : $"shown counts only (under {SmallCountBelow} hidden)")
            + (releaseApproved ? "; release approved" : "; release not approved")
            + (run is null ? "" : $"; {run}");
    }
}
