using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using MgAuth.Domain.Requests.Validation;

namespace MgAuth.Domain.Requests;

/// <summary>Either a request that satisfies the contract or the problem document that rejects it.</summary>
public sealed record ReadResult(AuthorizationRequest? Request, ProblemDocument? Problem)
{
    [MemberNotNullWhen(true, nameof(Request))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool IsValid => Problem is null;
}

/// <summary>
/// Validates request JSON against the contract (shared/contract/authorization-request.md) and builds an
/// <see cref="AuthorizationRequest"/>. The document is walked by hand so that every bad field is reported
/// at once; unknown fields are errors, so a misspelt clinical flag is never silently ignored.
/// </summary>
public static class RequestReader
{
    private static readonly JsonDocumentOptions Strict = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    // The contract's fields, object by object.
    private static readonly FieldSet RequestFields = new(
        "policyId", "urgency", "indication", "continuation", "member", "provider", "diagnosis", "clinical",
        "regimen", "plannedSurgery", "plannedCorticosteroid", "priorTherapies", "priorIvigCourses", "priorIvigResponse");
    private static readonly FieldSet MemberFields = new("id", "birthDate", "sex", "weightKg", "heightCm");
    private static readonly FieldSet ProviderFields = new("npi");
    private static readonly FieldSet DiagnosisFields = new(
        "icd10", "mgfaClass", "achrAntibody", "muskAntibody", "lrp4Antibody", "electrodiagnostics");
    private static readonly FieldSet ClinicalFields = new(
        "mgAdl", "qmg", "bulbarDysfunction", "respiratory", "egfr", "diabeticNephropathy", "igaStatus",
        "thromboembolicHistory", "heartFailure", "priorIgAnaphylaxis", "hyperprolinemia",
        "hereditaryFructoseIntolerance", "immunosuppressantsContraindicated");
    private static readonly FieldSet ScoreFields = new("current", "baseline");
    private static readonly FieldSet RespiratoryFields = new("intubated", "nonInvasiveVentilation", "fvcMlPerKg");
    private static readonly FieldSet RegimenFields = new(
        "product", "gramsPerDay", "infusionDays", "cycles", "intervalDays", "startDate");
    private static readonly FieldSet PlannedSurgeryFields = new("procedure", "date");
    private static readonly FieldSet PlannedCorticosteroidFields = new("startDate", "prednisoneMgPerKgPerDay");
    private static readonly FieldSet PriorTherapyFields = new("agent", "months", "outcome");
    private static readonly FieldSet PriorIvigCourseFields = new("startDate", "indication");
    private static readonly FieldSet PriorIvigResponseFields = new("mgAdlBefore", "mgAdlAfter", "qmgBefore", "qmgAfter");

    // The contract's ranges.
    private static readonly Bounds WeightKg = new(2, 400);
    private static readonly Bounds HeightCm = new(40, 250);
    private static readonly Bounds MgAdl = new(0, 24);
    private static readonly Bounds Qmg = new(0, 39);
    private static readonly Bounds Egfr = new(0, 200);
    private static readonly Bounds FvcMlPerKg = new(0, 100);
    private static readonly Bounds GramsPerDay = new(0, 500, MinExclusive: true);
    private static readonly Bounds InfusionDays = new(1, 14);
    private static readonly Bounds Cycles = new(1, 52);
    private static readonly Bounds IntervalDays = new(7, 180);
    private static readonly Bounds PrednisoneMgPerKgPerDay = new(0, 5);
    private static readonly Bounds Months = new(0, 600);
    private static readonly DateWindow Dates = new(new DateOnly(1900, 1, 1), new DateOnly(2199, 12, 31));

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static ReadResult Read(ReadOnlySpan<byte> utf8Json, DateOnly asOf)
    {
        // JsonDocument needs memory it can hold on to; a pooled copy lives only as long as the document.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(utf8Json.Length);
        try
        {
            utf8Json.CopyTo(buffer);
            return ParseAndRead(buffer.AsMemory(0, utf8Json.Length), asOf);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static ReadResult Read(string json, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(json, buffer);
            return ParseAndRead(buffer.AsMemory(0, length), asOf);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>For callers that hold parsed (e.g. merged) JSON already.</summary>
    public static ReadResult Read(JsonElement root, DateOnly asOf)
    {
        if (root.ValueKind != JsonValueKind.Object) return new(null, ProblemDocument.NotJson("must be a JSON object"));

        // The JSON reader leaves string contents unchecked; bad bytes would otherwise surface as exceptions mid-walk.
        if (!Utf8.IsValid(JsonMarshal.GetRawUtf8Value(root))) return new(null, ProblemDocument.NotJson("must be UTF-8 encoded"));
        // Nor does it check escapes: a lone escaped surrogate would throw when the field is read.
        if (EscapedText.Errors(root) is { Count: > 0 } notText) return new(null, ProblemDocument.InvalidRequest(notText));

        using var context = new ReadContext();
        AuthorizationRequest? request = ReadRequest(FieldReader.ForRoot(root, context, RequestFields), asOf);
        return context.Errors.Count == 0 && request is not null
            ? new(request, null)
            : new(null, ProblemDocument.InvalidRequest(context.Errors.ToDictionary()));
    }

    private static ReadResult ParseAndRead(ReadOnlyMemory<byte> utf8Json, DateOnly asOf)
    {
        if (utf8Json.Span.StartsWith(Utf8Bom)) utf8Json = utf8Json[Utf8Bom.Length..];

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, Strict);
        }
        catch (JsonException e)
        {
            return new(null, ProblemDocument.NotJson(e.Message));
        }
        using (document) return Read(document.RootElement, asOf);
    }

    private static AuthorizationRequest? ReadRequest(FieldReader root, DateOnly asOf)
    {
        string? policyId = root.String("policyId");
        Urgency urgency = root.Enum<Urgency>("urgency") ?? Urgency.Standard;
        Indication? indication = root.Enum<Indication>("indication", required: true);
        bool continuation = root.Bool("continuation");
        MemberData? member = root.Object("member", MemberFields, required: true) is { } m ? ReadMember(m, asOf) : null;
        ProviderData? provider = root.Object("provider", ProviderFields) is { } p ? ReadProvider(p) : null;
        DiagnosisData? diagnosis = root.Object("diagnosis", DiagnosisFields, required: true) is { } d ? ReadDiagnosis(d) : null;
        ClinicalData clinical = root.Object("clinical", ClinicalFields) is { } c ? ReadClinical(c) : new ClinicalData();
        RegimenData? regimen = root.Object("regimen", RegimenFields, required: true) is { } r ? ReadRegimen(r) : null;
        PlannedSurgeryData? surgery = root.Object("plannedSurgery", PlannedSurgeryFields) is { } s ? ReadPlannedSurgery(s) : null;
        PlannedCorticosteroidData? steroid =
            root.Object("plannedCorticosteroid", PlannedCorticosteroidFields) is { } st ? ReadPlannedCorticosteroid(st) : null;
        PriorTherapyData[] therapies = root.Array("priorTherapies", PriorTherapyFields, ReadPriorTherapy);
        PriorIvigCourseData[] courses = root.Array("priorIvigCourses", PriorIvigCourseFields, ReadPriorIvigCourse);
        PriorIvigResponseData? response =
            root.Object("priorIvigResponse", PriorIvigResponseFields) is { } pr ? ReadPriorIvigResponse(pr) : null;

        if (indication is not { } ind || member is null || diagnosis is null || regimen is null) return null;
        return new AuthorizationRequest
        {
            PolicyId = policyId,
            Urgency = urgency,
            Indication = ind,
            Continuation = continuation,
            Member = member,
            Provider = provider,
            Diagnosis = diagnosis,
            Clinical = clinical,
            Regimen = regimen,
            PlannedSurgery = surgery,
            PlannedCorticosteroid = steroid,
            PriorTherapies = therapies,
            PriorIvigCourses = courses,
            PriorIvigResponse = response,
        };
    }

    private static MemberData? ReadMember(FieldReader member, DateOnly asOf)
    {
        string? id = member.String("id", required: true);
        DateOnly? birthDate = member.Date("birthDate", Dates, required: true);
        Sex? sex = member.Enum<Sex>("sex", required: true);
        decimal? weightKg = member.Decimal("weightKg", WeightKg, required: true);
        decimal? heightCm = member.Decimal("heightCm", HeightCm, required: true);

        if (birthDate > asOf)
        {
            member.Error("birthDate", string.Create(CultureInfo.InvariantCulture, $"must not be after the evaluation date {asOf:yyyy-MM-dd}"));
            return null;
        }
        if (id is null || birthDate is not { } born || sex is not { } s || weightKg is not { } kg || heightCm is not { } cm) return null;
        return new MemberData { Id = id, BirthDate = born, Sex = s, WeightKg = kg, HeightCm = cm };
    }

    private static ProviderData? ReadProvider(FieldReader provider)
    {
        string? npi = provider.String("npi");
        if (npi is not null && !IsTenDigits(npi))
        {
            provider.Error("npi", "must be 10 digits");
            return null;
        }
        return new ProviderData { Npi = npi };
    }

    private static DiagnosisData? ReadDiagnosis(FieldReader diagnosis)
    {
        string? icd10 = diagnosis.String("icd10", required: true);
        MgfaClass? mgfaClass = diagnosis.Enum<MgfaClass>("mgfaClass", required: true);
        AntibodyResult achr = diagnosis.Enum<AntibodyResult>("achrAntibody") ?? AntibodyResult.Unknown;
        AntibodyResult musk = diagnosis.Enum<AntibodyResult>("muskAntibody") ?? AntibodyResult.Unknown;
        AntibodyResult lrp4 = diagnosis.Enum<AntibodyResult>("lrp4Antibody") ?? AntibodyResult.Unknown;
        Electrodiagnostics electro = diagnosis.Enum<Electrodiagnostics>("electrodiagnostics") ?? Electrodiagnostics.NotDone;

        if (icd10 is null || mgfaClass is not { } mgfa) return null;
        return new DiagnosisData
        {
            Icd10 = icd10,
            MgfaClass = mgfa,
            AchrAntibody = achr,
            MuskAntibody = musk,
            Lrp4Antibody = lrp4,
            Electrodiagnostics = electro,
        };
    }

    private static ClinicalData ReadClinical(FieldReader clinical) => new()
    {
        MgAdl = clinical.Object("mgAdl", ScoreFields) is { } mgAdl ? ReadScores(mgAdl, MgAdl) : null,
        Qmg = clinical.Object("qmg", ScoreFields) is { } qmg ? ReadScores(qmg, Qmg) : null,
        BulbarDysfunction = clinical.Bool("bulbarDysfunction"),
        Respiratory = clinical.Object("respiratory", RespiratoryFields) is { } respiratory ? ReadRespiratory(respiratory) : null,
        Egfr = clinical.Decimal("egfr", Egfr),
        DiabeticNephropathy = clinical.Bool("diabeticNephropathy"),
        IgaStatus = clinical.Enum<IgaStatus>("igaStatus") ?? IgaStatus.Unknown,
        ThromboembolicHistory = clinical.Bool("thromboembolicHistory"),
        HeartFailure = clinical.Bool("heartFailure"),
        PriorIgAnaphylaxis = clinical.Bool("priorIgAnaphylaxis"),
        Hyperprolinemia = clinical.Bool("hyperprolinemia"),
        HereditaryFructoseIntolerance = clinical.Bool("hereditaryFructoseIntolerance"),
        ImmunosuppressantsContraindicated = clinical.Bool("immunosuppressantsContraindicated"),
    };

    private static ScorePair ReadScores(FieldReader scores, Bounds bounds) => new()
    {
        Current = scores.Int("current", bounds),
        Baseline = scores.Int("baseline", bounds),
    };

    private static RespiratoryData ReadRespiratory(FieldReader respiratory) => new()
    {
        Intubated = respiratory.Bool("intubated"),
        NonInvasiveVentilation = respiratory.Bool("nonInvasiveVentilation"),
        FvcMlPerKg = respiratory.Decimal("fvcMlPerKg", FvcMlPerKg),
    };

    private static RegimenData? ReadRegimen(FieldReader regimen)
    {
        string? product = regimen.String("product");
        decimal? gramsPerDay = regimen.Decimal("gramsPerDay", GramsPerDay, required: true);
        int? infusionDays = regimen.Int("infusionDays", InfusionDays, required: true);
        int? cycles = regimen.Int("cycles", Cycles);
        int? intervalDays = regimen.Int("intervalDays", IntervalDays);
        DateOnly? startDate = regimen.Date("startDate", Dates, required: true);

        if (cycles > 1 && !regimen.Has("intervalDays"))
        {
            regimen.Error("intervalDays", "is required when cycles is greater than 1");
            return null;
        }
        if (gramsPerDay is not { } grams || infusionDays is not { } days || startDate is not { } start) return null;
        return new RegimenData
        {
            Product = product,
            GramsPerDay = grams,
            InfusionDays = days,
            Cycles = cycles ?? 1,
            IntervalDays = intervalDays,
            StartDate = start,
        };
    }

    private static PlannedSurgeryData? ReadPlannedSurgery(FieldReader surgery)
    {
        string? procedure = surgery.String("procedure", required: true);
        DateOnly? date = surgery.Date("date", Dates);
        return procedure is null ? null : new PlannedSurgeryData { Procedure = procedure, Date = date };
    }

    private static PlannedCorticosteroidData? ReadPlannedCorticosteroid(FieldReader steroid)
    {
        DateOnly? startDate = steroid.Date("startDate", Dates, required: true);
        decimal? dose = steroid.Decimal("prednisoneMgPerKgPerDay", PrednisoneMgPerKgPerDay, required: true);
        if (startDate is not { } start || dose is not { } mgPerKg) return null;
        return new PlannedCorticosteroidData { StartDate = start, PrednisoneMgPerKgPerDay = mgPerKg };
    }

    private static PriorTherapyData? ReadPriorTherapy(FieldReader therapy)
    {
        string? agent = therapy.String("agent", required: true);
        decimal? months = therapy.Decimal("months", Months);
        TherapyOutcome? outcome = therapy.Enum<TherapyOutcome>("outcome", required: true);
        if (agent is null || outcome is not { } result) return null;
        return new PriorTherapyData { Agent = agent, Months = months, Outcome = result };
    }

    private static PriorIvigCourseData? ReadPriorIvigCourse(FieldReader course)
    {
        DateOnly? startDate = course.Date("startDate", Dates, required: true);
        Indication? indication = course.Enum<Indication>("indication", required: true);
        if (startDate is not { } start || indication is not { } ind) return null;
        return new PriorIvigCourseData { StartDate = start, Indication = ind };
    }

    private static PriorIvigResponseData ReadPriorIvigResponse(FieldReader response) => new()
    {
        MgAdlBefore = response.Int("mgAdlBefore", MgAdl),
        MgAdlAfter = response.Int("mgAdlAfter", MgAdl),
        QmgBefore = response.Int("qmgBefore", Qmg),
        QmgAfter = response.Int("qmgAfter", Qmg),
    };

    private static bool IsTenDigits(string text)
    {
        if (text.Length != 10) return false;
        foreach (char ch in text)
        {
            if (!char.IsAsciiDigit(ch)) return false;
        }
        return true;
    }
}
