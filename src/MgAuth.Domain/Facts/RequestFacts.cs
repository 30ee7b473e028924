using System.Text.Json.Serialization;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Facts;

// The facts a request becomes. Computed values (age, dosing weight, course grams, period) are
// worked out once, from the policy's parameters, by FactBuilder.

/// <summary>What is asked: the indication, whether it renews a maintenance authorization, and when it is evaluated.</summary>
public sealed record Request(Indication Indication, bool Continuation, Urgency Urgency, DateOnly AsOf);

[JsonConverter(typeof(JsonStringEnumConverter<DosingWeightMethod>))]
public enum DosingWeightMethod
{
    [JsonStringEnumMemberName("actual")] Actual,
    [JsonStringEnumMemberName("adjusted")] Adjusted,
    [JsonStringEnumMemberName("actual_short_stature")] ActualShortStature,
}

public sealed record DosingWeight(decimal Kg, DosingWeightMethod Method, decimal IdealKg, decimal ActualKg);

public sealed record Member(string Id, int Age, Sex Sex, decimal WeightKg, decimal HeightCm, DosingWeight DosingWeight);

public sealed record Diagnosis(
    string Icd10,
    MgfaClass MgfaClass,
    AntibodyResult AchrAntibody,
    AntibodyResult MuskAntibody,
    AntibodyResult Lrp4Antibody,
    Electrodiagnostics Electrodiagnostics)
{
    public bool HasPositiveFinding =>
        AchrAntibody == AntibodyResult.Positive || MuskAntibody == AntibodyResult.Positive
        || Lrp4Antibody == AntibodyResult.Positive || Electrodiagnostics == Electrodiagnostics.Supportive;

    /// <summary>Every antibody and the electrodiagnostics have a result (none unknown or not done).</summary>
    public bool AllTestsResulted =>
        AchrAntibody != AntibodyResult.Unknown && MuskAntibody != AntibodyResult.Unknown
        && Lrp4Antibody != AntibodyResult.Unknown && Electrodiagnostics != Electrodiagnostics.NotDone;

    public string Findings =>
        $"AChR {ContractNames.Of(AchrAntibody)}, MuSK {ContractNames.Of(MuskAntibody)}, LRP4 {ContractNames.Of(Lrp4Antibody)}, electrodiagnostics {ContractNames.Of(Electrodiagnostics)}";
}

/// <summary>The clinical picture; score changes are current minus baseline (positive = worse).</summary>
public sealed record ClinicalFindings(
    int? MgAdlCurrent,
    int? MgAdlBaseline,
    int? QmgCurrent,
    int? QmgBaseline,
    bool BulbarDysfunction,
    bool Intubated,
    bool NonInvasiveVentilation,
    decimal? FvcMlPerKg,
    decimal? Egfr,
    bool DiabeticNephropathy,
    IgaStatus IgaStatus,
    bool ThromboembolicHistory,
    bool HeartFailure,
    bool PriorIgAnaphylaxis,
    bool ImmunosuppressantsContraindicated)
{
    public int? MgAdlIncrease => MgAdlCurrent - MgAdlBaseline;
    public int? QmgIncrease => QmgCurrent - QmgBaseline;
    public bool HasMgAdlPair => MgAdlIncrease is not null;
    public bool HasQmgPair => QmgIncrease is not null;

    /// <summary>The score fields a provider would have to send to document a change.</summary>
    public IReadOnlyList<string> MissingScoreFields()
    {
        var missing = new List<string>(4);
        if (MgAdlCurrent is null) missing.Add("clinical.mgAdl.current");
        if (MgAdlBaseline is null) missing.Add("clinical.mgAdl.baseline");
        if (QmgCurrent is null) missing.Add("clinical.qmg.current");
        if (QmgBaseline is null) missing.Add("clinical.qmg.baseline");
        return missing;
    }
}

/// <summary>A condition of the member's that a product may be contraindicated by; named as the contract's clinical flag.</summary>
public sealed record MemberCondition(string Name);

public sealed record Regimen(
    string? Product,
    decimal GramsPerDay,
    int InfusionDays,
    int Cycles,
    int? IntervalDays,
    DateOnly StartDate,
    decimal CourseGrams,
    decimal GramsPerKgPerCourse,
    DateOnly PeriodStart,
    DateOnly PeriodEnd)
{
    public int PeriodDays => PeriodEnd.DayNumber - PeriodStart.DayNumber + 1;

    /// <summary>How many of the requested cycles start on or before <paramref name="date"/>.</summary>
    public int CyclesStartingBy(DateOnly date) =>
        IntervalDays is { } interval ? Math.Min(Cycles, (date.DayNumber - StartDate.DayNumber) / interval + 1) : 1;
}

/// <summary>The ceilings for this member, vial-rounded, and the maintenance intensity of the regimen.</summary>
public sealed record DoseLimits(decimal CourseCeilingGrams, decimal DailyCeilingGrams, decimal MaintenanceIntensity);

public sealed record PriorTherapy(int Index, string Agent, decimal Months, TherapyOutcome Outcome);

public sealed record PriorIvigCourse(DateOnly StartDate, Indication Indication, string Source);

public sealed record PlannedSurgery(string Procedure, DateOnly? Date);

public sealed record PlannedCorticosteroid(DateOnly StartDate, decimal PrednisoneMgPerKgPerDay);

/// <summary>Response to the previous IVIG; decreases are before minus after (positive = better).</summary>
public sealed record PriorIvigResponse(int? MgAdlBefore, int? MgAdlAfter, int? QmgBefore, int? QmgAfter)
{
    public int? MgAdlDecrease => MgAdlBefore - MgAdlAfter;
    public int? QmgDecrease => QmgBefore - QmgAfter;
    public bool HasUsablePair => MgAdlDecrease is not null || QmgDecrease is not null;
}

/// <summary>An authorization already approved for this member (added by the service, for H1/H2).</summary>
public sealed record ApprovedAuthorization(string AuthorizationId, Indication Indication, DateOnly ValidFrom, DateOnly ValidThrough);
