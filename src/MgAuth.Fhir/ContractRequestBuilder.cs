using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace MgAuth.Fhir;

/// <summary>
/// Builds the contract request JSON from a PAS Bundle whose one item is IVIG. Each contract field is read from
/// the one place the mapping names (docs/fhir-mapping.md) and recorded with that FHIR path in <see cref="Sources"/>,
/// found or not, so a rejection of the contract request can name where in the Bundle the value was missing or wrong.
/// </summary>
internal sealed partial class ContractRequestBuilder(Bundle bundle, BundleIndex index, Claim claim, ValueSets terminology)
{
    private const string ClaimPath = "Bundle.entry[0].resource";
    private readonly JsonObject _request = [];
    private readonly Dictionary<string, string> _sources = [];

    public List<FhirProblem> Problems { get; } = [];

    public IReadOnlyDictionary<string, string> Sources => _sources;

    /// <summary>The member's plan (Coverage.class of type plan), for the caller's plan table; never read as a policy id.</summary>
    public string? Plan { get; private set; }

    public JsonObject Build((Claim.ItemComponent Item, int Index) item)
    {
        Member();
        Claim(item.Item, item.Index);
        Regimen(item.Item, item.Index);
        ClinicalInformation();
        return _request;
    }

    private void Member()
    {
        var coverage = claim.Insurance.Where(i => i.Focal == true).Select(i => index.Resolve<Coverage>(i.Coverage, out _)).First()!;
        var coveragePath = PathOf(coverage);
        // The plan routes the policy through the caller's plan table: the policy a refusal names was chosen for this plan.
        _sources["policyId"] = coveragePath + ".class";
        Plan = coverage.Class.FirstOrDefault(c => c.Type?.Coding.Any(Is(PasCodes.Plan)) == true)?.Value;

        var patient = index.Resolve<Patient>(claim.Patient, out var patientPath);
        _sources["member"] = patientPath ?? ClaimPath + ".patient";
        var memberId = MemberNumber(coverage.Identifier)
            ?? coverage.SubscriberId
            ?? (patient is null ? null : MemberNumber(patient.Identifier));
        Source("member.id", coveragePath + ".identifier");
        if (memberId is not null) Set("member.id", memberId, coveragePath + ".identifier");
        if (patient is null) return;
        Source("member.birthDate", patientPath + ".birthDate");
        if (patient.BirthDate is { } born) Set("member.birthDate", born, patientPath + ".birthDate");
        Source("member.sex", patientPath + ".gender");
        // FHIR's administrative gender and the contract's sex use the same four words.
        if (patient.Gender?.GetLiteral() is { } gender) Set("member.sex", gender, patientPath + ".gender");
    }

    private void Claim(Claim.ItemComponent item, int itemIndex)
    {
        if (PasCodes.UrgencyOf(claim.Priority?.Coding.FirstOrDefault(c => c.System == Systems.ProcessPriority)?.Code) is { } urgency)
            Set("urgency", Domain.Requests.ContractNames.Of(urgency), ClaimPath + ".priority");

        var itemPath = $"{ClaimPath}.item[{itemIndex}]";
        var certification = item.GetExtensionValue<CodeableConcept>(PasExtensions.CertificationType)?.Coding
            .FirstOrDefault(c => c.System == Systems.X12CertificationType)?.Code;
        if (certification is "R" or "I") Set("continuation", certification == "R", itemPath + $".extension('{PasExtensions.CertificationType}')");

        if (NpiOf(claim.Provider) is { } npi) Set("provider.npi", npi, ClaimPath + ".provider");

        Source("diagnosis.icd10", ClaimPath + ".diagnosis");
        foreach (var (diagnosis, i) in claim.Diagnosis.Select((d, i) => (d, i)).OrderBy(x => x.d.Sequence ?? int.MaxValue))
        {
            var concept = diagnosis.Diagnosis as CodeableConcept
                ?? index.Resolve<Condition>(diagnosis.Diagnosis as ResourceReference, out _)?.Code;
            if (concept?.Coding.FirstOrDefault(c => c.System == Systems.Icd10Cm)?.Code is { } icd10)
            {
                Set("diagnosis.icd10", icd10, $"{ClaimPath}.diagnosis[{i}]");
                break;
            }
        }
    }

    private void Regimen(Claim.ItemComponent item, int itemIndex)
    {
        var itemPath = $"{ClaimPath}.item[{itemIndex}]";
        var order = index.Resolve<MedicationRequest>(PasRequestReader.RequestedService(item), out var orderPath);
        _sources["regimen"] = orderPath ?? itemPath + $".extension('{PasExtensions.RequestedService}')";
        _sources["indication"] = orderPath is null ? itemPath + $".extension('{PasExtensions.RequestedService}')" : orderPath + ".reasonCode";
        if (order is null || orderPath is null)
        {
            if (StartOf(item) is { } serviced) Set("regimen.startDate", serviced, itemPath + ".serviced");
            return;
        }

        foreach (var reason in order.ReasonCode)
            foreach (var coding in reason.Coding)
                if (coding.System == FindingCodes.System && FindingCodes.Indications.TryParse(coding.Code, out var indication))
                    Set("indication", indication, orderPath + ".reasonCode");

        // The formulary product the codes name (HCPCS, NDC or RxNorm, by the release's value sets); text only when no code names one.
        if (terminology.Product(order.Medication as CodeableConcept) is { } coded) Set("regimen.product", coded, orderPath + ".medicationCodeableConcept");
        else if (terminology.Product(item.ProductOrService) is { } billed) Set("regimen.product", billed, itemPath + ".productOrService");
        else if (((order.Medication as CodeableConcept)?.Text ?? item.ProductOrService?.Text) is { } product)
            Set("regimen.product", product, orderPath + ".medicationCodeableConcept.text");

        var dosage = order.DosageInstruction.FirstOrDefault();
        var dosagePath = orderPath + ".dosageInstruction[0]";
        Source("regimen.gramsPerDay", dosagePath + ".doseAndRate[0].doseQuantity");
        if (dosage?.DoseAndRate.FirstOrDefault()?.Dose is { } dose)
            Read("regimen.gramsPerDay", dose, Grams, dosagePath + ".doseAndRate[0].doseQuantity");
        var repeat = dosage?.Timing?.Repeat;
        Source("regimen.infusionDays", dosagePath + ".timing.repeat.count");
        if (repeat?.Count is { } count) Set("regimen.infusionDays", count, dosagePath + ".timing.repeat.count");
        Source("regimen.startDate", dosagePath + ".timing.repeat.boundsPeriod.start");
        if ((repeat?.Bounds as Period)?.Start is { } start) Set("regimen.startDate", start, dosagePath + ".timing.repeat.boundsPeriod.start");
        else if (StartOf(item) is { } serviced) Set("regimen.startDate", serviced, itemPath + ".serviced");

        var dispense = order.DispenseRequest;
        var dispensePath = orderPath + ".dispenseRequest";
        Source("regimen.cycles", dispensePath + ".numberOfRepeatsAllowed");
        if (dispense?.NumberOfRepeatsAllowed is { } repeats) Set("regimen.cycles", repeats + 1, dispensePath + ".numberOfRepeatsAllowed");
        Source("regimen.intervalDays", dispensePath + ".dispenseInterval");
        if (dispense?.DispenseInterval is { } interval) Read("regimen.intervalDays", interval, Days, dispensePath + ".dispenseInterval");
    }

    private void ClinicalInformation()
    {
        var therapies = new JsonArray();
        var courses = new JsonArray();
        var seen = new Dictionary<string, string>();
        var labs = new LabResults();
        var answers = new QuestionnaireAnswers(terminology);
        for (var i = 0; i < claim.SupportingInfo.Count; i++)
        {
            var info = claim.SupportingInfo[i];
            var resolved = index.Resolve(info.Value as ResourceReference);
            if (resolved is not ({ } resource, var path)) continue;
            switch (resource)
            {
                case Observation observation when observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled:
                    break;
                case Observation observation when ObservedFields.For(observation.Code, terminology) is not null:
                    Finding(observation, path, seen);
                    break;
                case Observation observation:
                    labs.Add(observation, path, terminology);
                    break;
                case Condition condition:
                    Condition(condition, path);
                    break;
                case AllergyIntolerance allergy:
                    Allergy(allergy, path);
                    break;
                case Procedure procedure:
                    Procedure(procedure, path, seen);
                    break;
                case MedicationStatement { Medication: CodeableConcept medication } statement when terminology.IsIvig(medication):
                    courses.Add(PriorIvigCourse(statement, $"priorIvigCourses[{courses.Count}]", path));
                    break;
                case MedicationStatement statement when statement.Status != MedicationStatement.MedicationStatusCodes.EnteredInError:
                    therapies.Add(PriorTherapy(statement, $"priorTherapies[{therapies.Count}]", path));
                    break;
                case ServiceRequest surgery when surgery.Status is not (RequestStatus.EnteredInError or RequestStatus.Revoked):
                    Once("plannedSurgery", path, seen, () => PlannedSurgery(surgery.Code, surgery.Occurrence, path));
                    break;
                case QuestionnaireResponse response when QuestionnaireAnswers.Answers(response):
                    answers.Add(response, path);
                    break;
                case MedicationRequest order when order.Status == MedicationRequest.MedicationrequestStatus.EnteredInError:
                    break;
                case MedicationRequest order when IsPlannedCorticosteroid(order, info):
                    Once("plannedCorticosteroid", path, seen, () => PlannedCorticosteroid(order, path));
                    break;
                case MedicationRequest order when !terminology.IsIvig(order.Medication as CodeableConcept):
                    therapies.Add(PriorTherapy(order, $"priorTherapies[{therapies.Count}]", path));
                    break;
            }
        }
        if (therapies.Count > 0) _request["priorTherapies"] = therapies;
        if (courses.Count > 0) _request["priorIvigCourses"] = courses;
        labs.Apply(this, _request);
        // The DTR answers fill what the resources leave absent.
        answers.Apply(this, _request, Problems);
    }

    // Only a corticosteroid planned (intent plan) is the planned course; MgAuth's own category still says so too.
    private bool IsPlannedCorticosteroid(MedicationRequest order, Claim.SupportingInformationComponent info) =>
        (order.Intent == MedicationRequest.MedicationRequestIntent.Plan
            && terminology.Has(Domain.Terminology.ContractFacts.PlannedCorticosteroid, order.Medication as CodeableConcept))
        || info.Category?.Coding.Any(c => c.System == FindingCodes.System && c.Code == FindingCodes.PlannedCorticosteroid) == true;

    private void Finding(Observation observation, string path, Dictionary<string, string> seen)
    {
        if (ObservedFields.For(observation.Code, terminology) is not { } field) return;
        Once(field.Path, path, seen, () =>
        {
            Source(field.Path, path + ".value");
            if (field.Value.Read(observation.Value, out var error) is { } value) Set(field.Path, value, path + ".value");
            else Problems.Add(new FhirProblem(path + ".value", $"{field.Code.System}#{field.Code.Code} ({field.Path}) {error}"));
        });
    }

    private JsonObject PriorTherapy(MedicationStatement statement, string at, string path)
    {
        var therapy = Therapy(statement.Medication as CodeableConcept, statement.StatusReason,
            statement.Status == MedicationStatement.MedicationStatusCodes.Active, at, path);
        var bounds = statement.Dosage.FirstOrDefault()?.Timing?.Repeat?.Bounds;
        Source(at + ".months", path + ".dosage[0].timing.repeat.boundsDuration");
        if (bounds is Duration duration)
        {
            if (Months.Read(duration, out var error) is { } months) therapy["months"] = months;
            else Problems.Add(new FhirProblem(path + ".dosage[0].timing.repeat.boundsDuration", $"{at}.months {error}"));
        }
        else if (statement.Effective is Period period && MonthsBetween(period) is { } taken)
        {
            therapy["months"] = taken;
            _sources[at + ".months"] = path + ".effectivePeriod";
        }
        return therapy;
    }

    private JsonObject PriorIvigCourse(MedicationStatement statement, string at, string path)
    {
        var course = new JsonObject();
        _sources[at] = path;
        Source(at + ".startDate", path + ".effective");
        var start = statement.Effective switch
        {
            Period period => period.Start,
            FhirDateTime moment => moment.Value,
            _ => null,
        };
        if (start is not null) course["startDate"] = DayText(start);
        Source(at + ".indication", path + ".reasonCode");
        foreach (var coding in statement.ReasonCode.SelectMany(r => r.Coding))
            if (coding.System == FindingCodes.System && FindingCodes.Indications.TryParse(coding.Code, out var indication))
                course["indication"] = indication;
        return course;
    }

    private void PlannedSurgery(CodeableConcept? code, DataType? occurrence, string path)
    {
        _sources["plannedSurgery"] = path;
        Source("plannedSurgery.procedure", path + ".code");
        // A coded thymectomy is the policy's procedure by the value set's name; anything else as the sender wrote it.
        var procedure = terminology.Find(Domain.Terminology.ContractFacts.PlannedSurgery, code)?.Title.ToLowerInvariant() ?? Text(code);
        var date = occurrence switch
        {
            FhirDateTime moment => moment.Value,
            Period period => period.Start,
            _ => null,
        };
        Source("plannedSurgery.date", path + ".occurrence");
        var planned = new JsonObject();
        if (procedure is not null) planned["procedure"] = procedure;
        if (date is not null) planned["date"] = DayText(date);
        _request["plannedSurgery"] = planned;
    }

    private void PlannedCorticosteroid(MedicationRequest steroid, string path)
    {
        _sources["plannedCorticosteroid"] = path;
        var dosage = steroid.DosageInstruction.FirstOrDefault();
        var planned = new JsonObject();
        Source("plannedCorticosteroid.startDate", path + ".dosageInstruction[0].timing.repeat.boundsPeriod.start");
        if ((dosage?.Timing?.Repeat?.Bounds as Period)?.Start is { } start) planned["startDate"] = DayText(start);
        var dosePath = path + ".dosageInstruction[0].doseAndRate[0].doseQuantity";
        Source("plannedCorticosteroid.prednisoneMgPerKgPerDay", dosePath);
        if (dosage?.DoseAndRate.FirstOrDefault()?.Dose is { } dose)
        {
            if (MilligramsPerKgPerDay.Read(dose, out var error) is { } value) planned["prednisoneMgPerKgPerDay"] = value;
            else Problems.Add(new FhirProblem(dosePath, "plannedCorticosteroid.prednisoneMgPerKgPerDay " + error));
        }
        _request["plannedCorticosteroid"] = planned;
    }

    private static readonly QuantityValue Grams = new("g", new Dictionary<string, decimal> { ["mg"] = 0.001m });
    private static readonly QuantityValue Days = new("d", new Dictionary<string, decimal> { ["wk"] = 7m });
    private static readonly QuantityValue MilligramsPerKgPerDay = new("mg/kg/d");

    private static readonly QuantityValue Months = new("mo", new Dictionary<string, decimal> { ["a"] = 12m });

    private void Read(string contractPath, DataType value, QuantityValue unit, string fhirPath)
    {
        if (unit.Read(value, out var error) is { } read) Set(contractPath, read, fhirPath);
        else Problems.Add(new FhirProblem(fhirPath, $"{contractPath} {error}"));
    }

    private void Once(string contractPath, string path, Dictionary<string, string> seen, Action read)
    {
        if (seen.TryGetValue(contractPath, out var first))
        {
            Problems.Add(new FhirProblem(path, $"carries {contractPath} again (first at {first}); MgAuth reads one"));
            return;
        }
        seen[contractPath] = path;
        read();
    }

    private string? NpiOf(ResourceReference? reference)
    {
        return index.Resolve(reference) is ({ } resource, _) ? Of(resource) : null;

        string? Of(Resource resource) => resource switch
        {
            Organization organization => Npi(organization.Identifier),
            Practitioner practitioner => Npi(practitioner.Identifier),
            PractitionerRole role => Npi(role.Identifier)
                ?? (index.Resolve(role.Practitioner) is ({ } p, _) ? Of(p) : null)
                ?? (index.Resolve(role.Organization) is ({ } o, _) ? Of(o) : null),
            _ => null,
        };

        static string? Npi(List<Identifier> identifiers) => identifiers.FirstOrDefault(i => i.System == Systems.Npi)?.Value;
    }

    private static string? MemberNumber(List<Identifier> identifiers) =>
        identifiers.FirstOrDefault(i => i.Type?.Coding.Any(Is(PasCodes.MemberNumber)) == true && i.Value is not null)?.Value;

    private static string? StartOf(Claim.ItemComponent item) => item.Serviced switch
    {
        Date date => date.Value,
        Period period => period.Start,
        _ => null,
    };

    private static string? Text(CodeableConcept? concept) => concept?.Text ?? concept?.Coding.FirstOrDefault(c => c.Display is not null)?.Display;

    // A FHIR dateTime names a day and a time; the contract wants the day as the sender wrote it.
    private static string DayText(string value) => FhirDates.Day(value) is { } day ? FhirDates.Text(day) : value;

    private static Func<Coding, bool> Is(Coding expected) => c => c.System == expected.System && c.Code == expected.Code;

    private string PathOf(Resource resource) => BundleIndex.PathOf(bundle.Entry.FindIndex(e => ReferenceEquals(e.Resource, resource)));

    internal void Source(string contractPath, string fhirPath) => _sources.TryAdd(contractPath, fhirPath);

    internal void Set(string contractPath, JsonNode value, string fhirPath)
    {
        _sources[contractPath] = fhirPath;
        var names = contractPath.Split('.');
        var target = _request;
        foreach (var name in names[..^1])
        {
            if (target[name] is not JsonObject next) target[name] = next = [];
            target = next;
        }
        target[names[^1]] = value;
    }
}
