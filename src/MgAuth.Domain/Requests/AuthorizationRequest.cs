namespace MgAuth.Domain.Requests;

// The request exactly as the contract names it (camelCase in JSON). Built by RequestReader, which
// validates first; so required members here are never null once a request exists.

public sealed record AuthorizationRequest
{
    public string? PolicyId { get; init; }
    public Urgency Urgency { get; init; } = Urgency.Standard;
    public required Indication Indication { get; init; }
    public bool Continuation { get; init; }
    public required MemberData Member { get; init; }
    public ProviderData? Provider { get; init; }
    public required DiagnosisData Diagnosis { get; init; }
    public ClinicalData Clinical { get; init; } = new();
    public required RegimenData Regimen { get; init; }
    public PlannedSurgeryData? PlannedSurgery { get; init; }
    public PlannedCorticosteroidData? PlannedCorticosteroid { get; init; }
    public IReadOnlyList<PriorTherapyData> PriorTherapies { get; init; } = [];
    public IReadOnlyList<PriorIvigCourseData> PriorIvigCourses { get; init; } = [];
    public PriorIvigResponseData? PriorIvigResponse { get; init; }
}

public sealed record MemberData
{
    public required string Id { get; init; }
    public required DateOnly BirthDate { get; init; }
    public required Sex Sex { get; init; }
    public required decimal WeightKg { get; init; }
    public required decimal HeightCm { get; init; }
}

public sealed record ProviderData
{
    public string? Npi { get; init; }
}

public sealed record DiagnosisData
{
    public required string Icd10 { get; init; }
    public required MgfaClass MgfaClass { get; init; }
    public AntibodyResult AchrAntibody { get; init; } = AntibodyResult.Unknown;
    public AntibodyResult MuskAntibody { get; init; } = AntibodyResult.Unknown;
    public AntibodyResult Lrp4Antibody { get; init; } = AntibodyResult.Unknown;
    public Electrodiagnostics Electrodiagnostics { get; init; } = Electrodiagnostics.NotDone;
}

public sealed record ScorePair
{
    public int? Current { get; init; }
    public int? Baseline { get; init; }
}

public sealed record RespiratoryData
{
    public bool Intubated { get; init; }
    public bool NonInvasiveVentilation { get; init; }
    public decimal? FvcMlPerKg { get; init; }
}

public sealed record ClinicalData
{
    public ScorePair? MgAdl { get; init; }
    public ScorePair? Qmg { get; init; }
    public bool BulbarDysfunction { get; init; }
    public RespiratoryData? Respiratory { get; init; }
    public decimal? Egfr { get; init; }
    public bool DiabeticNephropathy { get; init; }
    public IgaStatus IgaStatus { get; init; } = IgaStatus.Unknown;
    public bool ThromboembolicHistory { get; init; }
    public bool HeartFailure { get; init; }
    public bool PriorIgAnaphylaxis { get; init; }
    public bool Hyperprolinemia { get; init; }
    public bool HereditaryFructoseIntolerance { get; init; }
    public bool ImmunosuppressantsContraindicated { get; init; }
}

public sealed record RegimenData
{
    public string? Product { get; init; }
    public required decimal GramsPerDay { get; init; }
    public required int InfusionDays { get; init; }
    public int Cycles { get; init; } = 1;
    public int? IntervalDays { get; init; }
    public required DateOnly StartDate { get; init; }
}

public sealed record PlannedSurgeryData
{
    public required string Procedure { get; init; }
    public DateOnly? Date { get; init; }
}

public sealed record PlannedCorticosteroidData
{
    public required DateOnly StartDate { get; init; }
    public required decimal PrednisoneMgPerKgPerDay { get; init; }
}

public sealed record PriorTherapyData
{
    public required string Agent { get; init; }
    public decimal? Months { get; init; }
    public required TherapyOutcome Outcome { get; init; }
}

public sealed record PriorIvigCourseData
{
    public required DateOnly StartDate { get; init; }
    public required Indication Indication { get; init; }
}

public sealed record PriorIvigResponseData
{
    public int? MgAdlBefore { get; init; }
    public int? MgAdlAfter { get; init; }
    public int? QmgBefore { get; init; }
    public int? QmgAfter { get; init; }
}
