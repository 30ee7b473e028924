using System.Text.Json.Serialization;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Decisions;

[JsonConverter(typeof(JsonStringEnumConverter<Outcome>))]
public enum Outcome
{
    [JsonStringEnumMemberName("approve")] Approve,
    [JsonStringEnumMemberName("deny")] Deny,
    [JsonStringEnumMemberName("review")] Review,
}

[JsonConverter(typeof(JsonStringEnumConverter<CaseStatus>))]
public enum CaseStatus
{
    [JsonStringEnumMemberName("approved")] Approved,
    [JsonStringEnumMemberName("denied")] Denied,
    [JsonStringEnumMemberName("pended")] Pended,
}

/// <summary>The decision as the contract shapes it. The service adds its own fields around it.</summary>
public sealed record Decision
{
    /// <summary>Service only: the stored case this decision belongs to.</summary>
    [JsonPropertyOrder(-2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AuthorizationId { get; init; }

    /// <summary>Service only: which decision of the case this is (a supplement re-decides it).</summary>
    [JsonPropertyOrder(-1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Revision { get; init; }

    [JsonPropertyName("decision")] public required Outcome Outcome { get; init; }
    public required CaseStatus Status { get; init; }
    public DenialKind? DenialKind { get; init; }
    public required string X12ReviewAction { get; init; }
    public required Urgency Urgency { get; init; }
    public required DateOnly AsOf { get; init; }

    /// <summary>Service only: when the request arrived.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>Service only: when a decision is due (CMS 2026: 72 hours expedited, 7 calendar days standard).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? DueBy { get; init; }
    public required Indication Indication { get; init; }
    public required DosingWeightView DosingWeight { get; init; }
    public required RequestedRegimen Requested { get; init; }
    public AuthorizedRegimen? Authorized { get; init; }
    public required IReadOnlyList<ReasonView> Reasons { get; init; }
    public required IReadOnlyList<string> MissingDocumentation { get; init; }
    public ApprovableAlternative? ApprovableAlternative { get; init; }
    public required RulePackRef RulePack { get; init; }
    public required PolicyRef Policy { get; init; }
    public required IReadOnlyList<TraceEntry> Trace { get; init; }

    /// <summary>With explain on: for every rule that did not fire, the first condition that failed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<WhyNot>? Explain { get; init; }

    /// <summary>Service only: a person's determination of the case, once one is made.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Determination? Determination { get; init; }

    /// <summary>Service only: the case this one appeals.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AppealOf { get; init; }

    /// <summary>Service only: the appeals of this case.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Appeals { get; init; }

    /// <summary>Whether a person has to act before the case is final.</summary>
    [JsonIgnore] public bool IsFinal => Status != CaseStatus.Pended;
}

public sealed record DosingWeightView(decimal Kg, DosingWeightMethod Method, decimal IdealKg, decimal ActualKg);

public sealed record RequestedRegimen(decimal CourseGrams, decimal GramsPerKgPerCourse, int Cycles, DateOnly PeriodStart, DateOnly PeriodEnd);

public sealed record AuthorizedRegimen(decimal CourseGrams, int Cycles, decimal TotalGrams, DateOnly ValidFrom, DateOnly ValidThrough);

public sealed record ReasonView(string Code, ReasonEffect Effect, string Message, string PolicyRef, string Evidence, string Rule)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public IReadOnlyList<string>? MissingDocumentation { get; init; }
}

public sealed record ApprovableAlternative(decimal CourseGrams);

public sealed record RulePackRef(string Id, string Version, string Sha256);

public sealed record PolicyRef(string Id, string Version, string Sha256);

public sealed record TraceEntry(int Seq, string Rule, IReadOnlyDictionary<string, object?> Facts);

public sealed record WhyNot(string Rule, string? PolicyRef, int Element, string Pattern, string? Condition, string Reason, IReadOnlyDictionary<string, object?> Values);
