using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Serialization;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Policies;

/// <summary>
/// Every number, list and sentence of one medical policy, read from <c>policies/*.yaml</c>.
/// The policy is also a fact: rules read their thresholds from it. Rules are untrusted code, so every
/// collection in it is immutable: no cast lets one request change the policy for the next.
/// </summary>
public sealed record Policy
{
    public required string Id { get; init; }
    public required string Version { get; init; }
    public required string Title { get; init; }
    public required bool ClinicianSignoffForDenials { get; init; }
    public required ImmutableArray<string> CoveredDiagnoses { get; init; }
    public required DosingWeightParameters DosingWeight { get; init; }
    public required DoseParameters Dose { get; init; }
    public required SeverityParameters Severity { get; init; }
    public required WorseningParameters Worsening { get; init; }
    public required CrisisParameters Crisis { get; init; }
    public required RenalParameters Renal { get; init; }
    public required int PediatricAgeBelow { get; init; }
    public required HistoryParameters History { get; init; }
    public required int AcuteAuthorizationDays { get; init; }
    public required PreThymectomyParameters PreThymectomy { get; init; }
    public required BridgingParameters Bridging { get; init; }
    public required MaintenanceParameters Maintenance { get; init; }
    public required ImmutableArray<AgentDefinition> Agents { get; init; }
    public required ImmutableArray<string> Formulary { get; init; }
    public required ImmutableArray<ProductContraindicationDefinition> ProductContraindications { get; init; }
    public required FrozenDictionary<string, ReasonText> Reasons { get; init; }

    /// <summary>SHA-256 of <see cref="Source"/> (UTF-8): the resolved content, so a change in a base changes the policies that extend it.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>
    /// The resolved text, kept so a published version can be stored and replayed alone: the file as written, or for a
    /// file that <c>extends:</c> another, the merged document as YAML.
    /// </summary>
    public string Source { get; init; } = "";

    /// <summary>Whether this ICD-10 code is one the policy covers.</summary>
    public bool Covers(string icd10)
    {
        foreach (var code in CoveredDiagnoses)
            if (string.Equals(code, icd10, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    public bool OnFormulary(string product)
    {
        foreach (var listed in Formulary)
            if (string.Equals(listed, product, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>The listed agent of this name (§2 failed trial), or null for an agent on neither list.</summary>
    public AgentDefinition? Agent(string name)
    {
        foreach (var agent in Agents)
            if (string.Equals(agent.Name, name, StringComparison.OrdinalIgnoreCase)) return agent;
        return null;
    }

    /// <summary>The labelled contraindication of this product by this member condition, if any.</summary>
    public ProductContraindicationDefinition? Contraindication(string product, string condition)
    {
        foreach (var c in ProductContraindications)
            if (string.Equals(c.Product, product, StringComparison.OrdinalIgnoreCase) && c.Condition == condition) return c;
        return null;
    }

    public ReasonText ReasonText(string code) =>
        Reasons.TryGetValue(code, out var text)
            ? text
            : throw new KeyNotFoundException($"Policy {Id} has no reason text for {code}.");
}

public sealed record DosingWeightParameters(
    decimal ShortStatureBelowCm,
    decimal AdjustAboveIdealRatio,
    decimal AdjustmentFactor,
    decimal CmPerInch,
    decimal DevineBaseHeightIn,
    decimal DevineMaleBaseKg,
    decimal DevineOtherBaseKg,
    decimal DevineKgPerInch,
    decimal RoundingKg);

public sealed record DoseParameters(
    decimal CourseCeilingGramsPerKg,
    decimal DailyCeilingGramsPerKg,
    int VialGrams,
    int MaxStandardInfusionDays);

public sealed record SeverityParameters(MgfaClass ModerateMinMgfaClass, int ModerateMinQmg, int ModerateMinMgAdl, MgfaClass GeneralizedMinMgfaClass);

/// <summary>MG-ADL rise of at least <see cref="MinMgAdlIncrease"/>, or QMG rise of more than <see cref="QmgIncreaseMoreThan"/>.</summary>
public sealed record WorseningParameters(int MinMgAdlIncrease, int QmgIncreaseMoreThan);

public sealed record CrisisParameters(MgfaClass MgfaClass, decimal FvcBelowMlPerKg);

public sealed record RenalParameters(decimal SevereEgfrBelow, decimal RiskEgfrBelow);

public sealed record HistoryParameters(int RecurrentAcuteCourses, int WindowDays, ImmutableArray<Indication> AcuteIndications);

public sealed record PreThymectomyParameters(string Procedure, int SurgeryWindowDays);

public sealed record BridgingParameters(decimal MinPrednisoneMgPerKgPerDay, int SteroidStartWindowDays);

public sealed record MaintenanceParameters(
    decimal CeilingGramsPerKg,
    int CeilingPeriodDays,
    int IntensityDecimals,
    bool ChronicMaintenanceCovered,
    int AuthorizationCapDays,
    int ShortTermMaxDays,
    int MinSteroidSparingFailures,
    int ResponseMinMgAdlDecrease,
    int ResponseMinQmgDecrease);

[JsonConverter(typeof(JsonStringEnumConverter<AgentClass>))]
public enum AgentClass
{
    [JsonStringEnumMemberName("corticosteroid")] Corticosteroid,
    [JsonStringEnumMemberName("steroid_sparing")] SteroidSparing,
}

public sealed record AgentDefinition(string Name, AgentClass Class, decimal AdequateMonths);

public sealed record ProductContraindicationDefinition(string Product, string Condition);

[JsonConverter(typeof(JsonStringEnumConverter<ReasonEffect>))]
public enum ReasonEffect
{
    [JsonStringEnumMemberName("met")] Met,
    [JsonStringEnumMemberName("deny")] Deny,
    [JsonStringEnumMemberName("review")] Review,
    [JsonStringEnumMemberName("advisory")] Advisory,
}

[JsonConverter(typeof(JsonStringEnumConverter<DenialKind>))]
public enum DenialKind
{
    [JsonStringEnumMemberName("medical_necessity")] MedicalNecessity,
    [JsonStringEnumMemberName("administrative")] Administrative,
}

/// <summary>A reason's policy text: its effect, where it stands in the policy, its evidence, and its message template.</summary>
public sealed record ReasonText(string Code, ReasonEffect Effect, DenialKind? DenialKind, string PolicyRef, string Evidence, MessageTemplate Message)
{
    /// <summary>Where the policy lists this reason: decisions show their reasons in this order.</summary>
    public int Order { get; init; }
}
