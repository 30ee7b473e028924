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

    public static ImpactReport Shape(ImpactFindings findings, bool perCase, bool releaseApproved)
    {
        ReportedCount Count(int n) => perCase || n >= SmallCountBelow ? ReportedCount.Of(n) : ReportedCount.Hidden;

        var transitions = findings.Changes.GroupBy(c => (c.From, c.To))
            .OrderBy(g => g.Key.From, StringComparer.Ordinal).ThenBy(g => g.Key.To, StringComparer.Ordinal)
            .Select(g => new Transition(g.Key.From, g.Key.To, Count(g.Count())))
            .ToArray();
        var byCode = findings.Changes
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
