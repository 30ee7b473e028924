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

/// <summary>The decision as the contract shapes it: the engine's alone. A stored case wraps it with the service's fields.</summary>
public sealed record Decision
{
    [JsonPropertyName("decision")] public required Outcome Outcome { get; init; }
    public required CaseStatus Status { get; init; }
    public DenialKind? DenialKind { get; init; }
    public required string X12ReviewAction { get; init; }
    public required Urgency Urgency { get; init; }
    public required DateOnly AsOf { get; init; }
    /// <summary>The indication asked for; null for a request missing the facts the contract requires (<see cref="IsIncomplete"/>).</summary>
    public Indication? Indication { get; init; }

    /// <summary>The dosing weight worked out; null for a request missing the facts the contract requires.</summary>
    public DosingWeightView? DosingWeight { get; init; }

    /// <summary>The regimen asked for; null for a request missing the facts the contract requires.</summary>
    public RequestedRegimen? Requested { get; init; }
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

    /// <summary>Whether a person has to act before the case is final.</summary>
    [JsonIgnore] public bool IsFinal => Status != CaseStatus.Pended;

    /// <summary>
    /// Whether the request left out facts the contract requires (a PAS request, <see cref="IncompleteRequest"/>): no rule
    /// ran, the one reason names the fields, and there is no indication, dosing weight or regimen to show.
    /// </summary>
    [JsonIgnore] public bool IsIncomplete => Requested is null;
}

public sealed record DosingWeightView(decimal Kg, DosingWeightMethod Method, decimal IdealKg, decimal ActualKg);

public sealed record RequestedRegimen(decimal CourseGrams, decimal GramsPerKgPerCourse, int Cycles, DateOnly PeriodStart, DateOnly PeriodEnd);

public sealed record AuthorizedRegimen(decimal CourseGrams, int Cycles, decimal TotalGrams, DateOnly ValidFrom, DateOnly ValidThrough);

public sealed record ReasonView(string Code, ReasonEffect Effect, string Message, string PolicyRef, string Evidence, string Rule)
    : IJsonOnDeserialized
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public IReadOnlyList<string>? MissingDocumentation { get; init; }

    /// <summary>
    /// Whether the message names another organization's record: only a reason stored before issue 18 can (a rule saw the
    /// record then), so it is known when such a reason is read (<see cref="LegacyHeldElsewhere"/>), never stored.
    /// </summary>
    [JsonIgnore] public bool NamesAnotherOrganization { get; private set; }

    void IJsonOnDeserialized.OnDeserialized() => NamesAnotherOrganization = LegacyHeldElsewhere.Names(Message);
}

public sealed record ApprovableAlternative(decimal CourseGrams);

public sealed record RulePackRef(string Id, string Version, string Sha256);

public sealed record PolicyRef(string Id, string Version, string Sha256);

/// <summary>A rule that fired and the facts it matched, by name; a part of a stored one from another organization's record is typed <see cref="FromAnotherOrganization"/>.</summary>
public sealed record TraceEntry(int Seq, string Rule, IReadOnlyDictionary<string, object?> Facts)
{
    public IReadOnlyDictionary<string, object?> Facts { get; init; } = LegacyHeldElsewhere.Typed(Facts);
}

public sealed record WhyNot(string Rule, string? PolicyRef, int Element, string Pattern, string? Condition, string Reason, IReadOnlyDictionary<string, object?> Values);
