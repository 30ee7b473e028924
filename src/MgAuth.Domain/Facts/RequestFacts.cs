using System.Text.Json;
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

/// <summary>The member as rules see them: no id, name or organization, so no rule can decide by who the member is.</summary>
public sealed record Member(int Age, Sex Sex, decimal WeightKg, decimal HeightCm, DosingWeight DosingWeight);

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

/// <summary>An earlier IVIG course: declared in the request (<see cref="FromRequest"/>) or approved by the plan (<see cref="FromPlan"/>).</summary>
public sealed record PriorIvigCourse(DateOnly StartDate, Indication Indication, string Source)
{
    public const string FromRequest = "request";
    public const string FromPlan = "plan";
}

public sealed record PlannedSurgery(string Procedure, DateOnly? Date);

public sealed record PlannedCorticosteroid(DateOnly StartDate, decimal PrednisoneMgPerKgPerDay);

/// <summary>Response to the previous IVIG; decreases are before minus after (positive = better).</summary>
public sealed record PriorIvigResponse(int? MgAdlBefore, int? MgAdlAfter, int? QmgBefore, int? QmgAfter)
{
    public int? MgAdlDecrease => MgAdlBefore - MgAdlAfter;
    public int? QmgDecrease => QmgBefore - QmgAfter;
    public bool HasUsablePair => MgAdlDecrease is not null || QmgDecrease is not null;
}

/// <summary>
/// An approval the plan holds for this member (for §4 H1/H2), as the service found it for a decision and stored it with
/// the decision to be replayed: this organization's (<see cref="ApprovedAuthorization"/>, with its id) or another's
/// (<see cref="ApprovalHeldElsewhere"/>, with none). It is never a fact (see <see cref="FactBuilder"/>).
/// </summary>
[JsonConverter(typeof(PlanApprovalJson))]
public abstract record PlanApproval(Indication Indication, DateOnly ValidFrom, DateOnly ValidThrough);

/// <summary>
/// An authorization this organization holds: a session sees it as a <see cref="PriorAuthorization"/>, which names the id
/// only opaquely.
/// </summary>
public sealed record ApprovedAuthorization(string AuthorizationId, Indication Indication, DateOnly ValidFrom, DateOnly ValidThrough)
    : PlanApproval(Indication, ValidFrom, ValidThrough);

/// <summary>
/// An approval another organization holds: no id at all, only the period and indication the plan's staff need. A session
/// never sees it; near today it becomes <see cref="AuthorizationHeldElsewhere"/>.
/// </summary>
public sealed record ApprovalHeldElsewhere(Indication Indication, DateOnly ValidFrom, DateOnly ValidThrough)
    : PlanApproval(Indication, ValidFrom, ValidThrough);

/// <summary>
/// Another organization holds an approval for this member near today (see <see cref="FactBuilder"/>): no holder, no
/// dates, no indication, so a rule can pend the request for review and nothing else.
/// </summary>
public sealed record AuthorizationHeldElsewhere;

/// <summary>An authorization the plan approved for this member earlier: its period and indication, and an opaque reference.</summary>
public sealed record PriorAuthorization(AuthorizationReference Reference, Indication Indication, DateOnly ValidFrom, DateOnly ValidThrough);

/// <summary>
/// Which authorization a <see cref="PriorAuthorization"/> is, opaque to rules: no member a pack can read (the pack language
/// allows no ToString), so a rule can only hand it to a reason action, whose message then names it. A provider reads
/// its own organization's id there; the trace shows the same label.
/// </summary>
[JsonConverter(typeof(AuthorizationReferenceJson))]
public sealed class AuthorizationReference
{
    private readonly string _label;

    internal AuthorizationReference(string label) => _label = label;

    /// <summary>The authorization's id, for the reason's message and the trace: trusted code only.</summary>
    internal string Label => _label;

    // A pack that makes a string of one ("" + a.Reference) learns nothing; the checker refuses that as well.
    public override string ToString() => "an approved authorization";

    private sealed class AuthorizationReferenceJson : JsonConverter<AuthorizationReference>
    {
        public override AuthorizationReference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? "");

        public override void Write(Utf8JsonWriter writer, AuthorizationReference value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value._label);
    }
}
