using System.Text.Json;
using System.Text.Json.Serialization;
using MgAuth.Domain.Decisions;

namespace MgAuth.RulePacks.Isolation;

/// <summary>
/// What the parent sends the worker, as the first line on its standard input: the job and the
/// release (pack files base64, so the worker hashes the same bytes; policy texts by file name).
/// An impact job is followed by one <see cref="StoredCase"/> a line until the input ends.
/// </summary>
public sealed record WorkerJob(string Kind, string PackName, IReadOnlyDictionary<string, string> PackFiles,
    IReadOnlyDictionary<string, string> Policies, string? OnlyPolicy = null)
{
    public const string Check = "check";
    public const string Impact = "impact";

    public static WorkerJob For(string kind, RuleRelease release, string? onlyPolicy = null) => new(kind, release.Pack.Name,
        release.Pack.Files.ToDictionary(f => f.Path, f => Convert.ToBase64String(f.Content), StringComparer.Ordinal),
        release.PolicyFiles, onlyPolicy);

    public RuleRelease Release() => new(
        new PackSource(PackName, PackFiles.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new PackFile(f.Key, Convert.FromBase64String(f.Value))).ToArray()),
        Policies);
}

/// <summary>A stored decision to decide again: its request, the date and member history it was decided with.</summary>
public sealed record StoredCase(string Id, string PolicyId, DateOnly AsOf, string RequestJson, string HistoryJson);

/// <summary>The decision a candidate would make for one stored case: outcome/status and reason codes, never messages.</summary>
public sealed record Redecision(string Id, string? Outcome, IReadOnlyList<string> Codes, bool Skipped = false, string? Failure = null);

/// <summary>How one of the pack's cases came out.</summary>
public sealed record CaseOutcome(string File, string PolicyId, IReadOnlyList<string> Differences)
{
    [JsonIgnore] public bool Passed => Differences.Count == 0;
}

/// <summary>A check of a release: did it compile, did its cases pass, what do they cover.</summary>
public sealed record ReleaseCheck(string ReleaseSha256, string PackId, string PackVersion, IReadOnlyList<string> Problems,
    IReadOnlyList<CaseOutcome> Cases, Coverage? Coverage)
{
    [JsonIgnore]
    public bool Compiled => Coverage is not null;
    [JsonIgnore]
    public int Passed => Cases.Count(c => c.Passed);
    [JsonIgnore]
    public int Failed => Cases.Count - Passed;

    /// <summary>It compiled and passed every case, and has cases: it may be activated.</summary>
    [JsonIgnore]
    public bool Valid => Compiled && Problems.Count == 0 && Failed == 0 && Cases.Count > 0;

    /// <summary>Every reason it cannot be activated, compile errors and failed cases alike.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> AllProblems =>
    [
        .. Problems,
        .. Cases.Where(c => !c.Passed).Select(c => $"case {c.File} failed: {string.Join("; ", c.Differences)}"),
        .. Compiled && Cases.Count == 0 ? ["the pack has no cases; a release must prove itself before it goes live"] : Array.Empty<string>(),
    ];
}

/// <summary>The worker's last line on its standard output: the job ended normally.</summary>
public sealed record WorkerDone(bool Done = true);

/// <summary>The one JSON dialect both ends of the pipe speak.</summary>
public static class WorkerJson
{
    public static JsonSerializerOptions Options => MgAuthJson.Compact;
}
