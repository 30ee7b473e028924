using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MgAuth.Cases.Releases;

/// <summary>
/// A count in an impact report: exact, or — for callers who may not read cases — hidden when it is under
/// <see cref="ImpactDisclosure.SmallCountBelow"/>, answered as the string <c>"&lt;11"</c> (zero included: telling 0 from
/// 1 is telling one case's outcome).
/// </summary>
[JsonConverter(typeof(ReportedCountJsonConverter))]
public readonly record struct ReportedCount(int? Exact)
{
    public const string HiddenText = "<11";

    public static ReportedCount Of(int count) => new(count);

    public static ReportedCount Hidden { get; } = new(null);

    public bool IsHidden => Exact is null;

    public override string ToString() => Exact?.ToString(CultureInfo.InvariantCulture) ?? HiddenText;
}

/// <summary>A number, or the string "&lt;11" for a hidden count.</summary>
public sealed class ReportedCountJsonConverter : JsonConverter<ReportedCount>
{
    public override ReportedCount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() == ReportedCount.HiddenText
            ? ReportedCount.Hidden
            : ReportedCount.Of(reader.GetInt32());

    public override void Write(Utf8JsonWriter writer, ReportedCount value, JsonSerializerOptions options)
    {
        if (value.Exact is { } exact) writer.WriteNumberValue(exact);
        else writer.WriteStringValue(ReportedCount.HiddenText);
    }
}

/// <summary>One stored decision that would change: from and to (decision/status), and the reason codes added and removed.</summary>
public sealed record DecisionChange(string AuthorizationId, string From, string To, IReadOnlyList<string> ReasonsAdded, IReadOnlyList<string> ReasonsRemoved);

public sealed record Transition(string From, string To, ReportedCount Count);

public sealed record ReasonShift(string Code, ReportedCount Added, ReportedCount Removed);

/// <summary>What re-deciding the stored cases under a candidate found, exactly and per case: never answered as it is (see <see cref="ImpactDisclosure"/>).</summary>
public sealed record ImpactFindings(string CandidateSha256, int Redecided, int Changed, int Skipped, int Failed, IReadOnlyList<DecisionChange> Changes);

/// <summary>
/// What a candidate release would do to the decisions already made, as its reader may see it. For a caller who may read
/// cases (reviewer, clinician, admin): exact counts and each changed case by authorization id with its reason codes
/// (<see cref="PerCase"/>). For everyone else (policy authors and approvers): counts only — from → to, and by reason
/// code — with any count under 11 answered as "&lt;11" (<see cref="SmallCountsHiddenBelow"/>), and <see cref="Changes"/> empty.
/// Never a reason's message or a member's values.
/// </summary>
public sealed record ImpactReport(string CandidateSha256, ReportedCount Redecided, ReportedCount Changed, ReportedCount Skipped, ReportedCount Failed,
    bool PerCaseReasonCodes, IReadOnlyList<Transition> Transitions, IReadOnlyList<ReasonShift> ByReasonCode, IReadOnlyList<DecisionChange> Changes)
{
    /// <summary>The changed cases are listed by authorization id (in <see cref="Changes"/>).</summary>
    public bool PerCase { get; init; }

    /// <summary>11 when counts under it are hidden ("&lt;11"); null when every count is exact.</summary>
    public int? SmallCountsHiddenBelow { get; init; }

    /// <summary>The candidate was ever put in force by an approver (or is the deployed repository release).</summary>
    public bool ReleaseApproved { get; init; }
}
