using System.Text.Json.Serialization;

namespace MgAuth.Domain.Decisions;

/// <summary>What a person did with a pended case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeterminationAction>))]
public enum DeterminationAction
{
    [JsonStringEnumMemberName("approve")] Approve,
    [JsonStringEnumMemberName("approve_modified")] ApproveModified,
    [JsonStringEnumMemberName("deny")] Deny,
    [JsonStringEnumMemberName("request_information")] RequestInformation,
}

/// <summary>
/// The person behind a determination: the key that made it (for a staff access token, the person's subject), its role,
/// the reviewer's NPI when known, and the person (absent in determinations recorded before persons were).
/// </summary>
public sealed record Reviewer(string KeyId, string Role, string? Npi)
{
    public Person? Person { get; init; }
}

/// <summary>The regimen a clinician authorizes instead of the one requested.</summary>
public sealed record ModifiedRegimen(decimal GramsPerDay, int InfusionDays, int Cycles, int? IntervalDays, DateOnly StartDate);

/// <summary>
/// Service only: a person's determination of a pended case (§1: no algorithm is the sole basis of a
/// medical-necessity denial). The engine's recommendation is kept beside it.
/// </summary>
public sealed record Determination : IJsonOnDeserialized
{
    public required DeterminationAction Action { get; init; }
    public string? ReasonCode { get; init; }

    /// <summary>The policy criterion the reason code rests on, and its evidence.</summary>
    public string? PolicyRef { get; init; }
    public string? Evidence { get; init; }

    /// <summary>The engine's sentence for this reason, with the member's numbers, when the engine raised it.</summary>
    public string? ReasonMessage { get; init; }
    public required string Rationale { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModifiedRegimen? ModifiedRegimen { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? MissingDocumentation { get; init; }
    public required Reviewer Reviewer { get; init; }
    public bool WasHumanReviewed { get; init; } = true;
    public required Outcome EngineRecommendation { get; init; }

    /// <summary>The revision of the case that was determined.</summary>
    public required int Revision { get; init; }
    public required DateTimeOffset DeterminedAt { get; init; }

    /// <summary>
    /// Whether <see cref="ReasonMessage"/> names another organization's record: it quotes a reason that did
    /// (<see cref="ReasonView.NamesAnotherOrganization"/>), which only a decision stored before issue 18 has.
    /// </summary>
    [JsonIgnore] public bool ReasonNamesAnotherOrganization { get => _reasonNames; init => _reasonNames = value; }

    private bool _reasonNames;

    /// <summary>Whether the rationale names another organization's record, as a reviewer could by quoting such a reason.</summary>
    [JsonIgnore] public bool RationaleNamesAnotherOrganization { get; private set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        _reasonNames |= LegacyHeldElsewhere.Names(ReasonMessage);
        RationaleNamesAnotherOrganization = LegacyHeldElsewhere.Names(Rationale);
    }
}
