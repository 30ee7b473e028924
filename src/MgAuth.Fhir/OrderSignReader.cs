using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>One IVIG draft order of an order-sign call, read into the contract request through the PAS mapping.</summary>
public sealed class DraftIvigOrder
{
    public required MedicationRequest Draft { get; init; }

    /// <summary>What the draft orders: its medicationCodeableConcept, or the code of the Medication it references.</summary>
    public required CodeableConcept Medication { get; init; }

    /// <summary>Where the draft is in the hook request (<c>context.draftOrders.entry[0].resource</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The PAS-shaped Bundle assembled from the draft and the prefetch, read as <c>Claim/$submit</c> reads one.</summary>
    public required PasSubmission Submission { get; init; }

    /// <summary>The order's HCPCS code that bills IVIG (CRD's billingCode); null for an order coded in RxNorm or NDC only.</summary>
    public Coding? Billing { get; init; }

    /// <summary>The Coverage the request was read under, as a reference for the coverage-information extension.</summary>
    public required ResourceReference Coverage { get; init; }

    /// <summary>A PAS Bundle path (<c>Bundle.entry[3].resource.value</c>) as the place in the hook request it came from.</summary>
    public required Func<string, string> HookPath { get; init; }

    /// <summary>Problems of the contract request (or of the mapping), at the hook request's paths.</summary>
    public IReadOnlyList<FhirProblem> Problems => Submission.Problems.Select(p => p with { Path = HookPath(p.Path) }).ToArray();

    /// <summary>A rejected contract request's errors, at the hook request's paths.</summary>
    public IReadOnlyList<FhirProblem> ProblemsOf(IReadOnlyDictionary<string, string[]> errors) =>
        Submission.ProblemsOf(errors).Select(p => p with { Path = HookPath(p.Path) }).ToArray();
}

/// <summary>What an order-sign call turned out to be.</summary>
public sealed class OrderSign
{
    /// <summary>Not an order-sign request MgAuth can read: each problem at its JSON path (<c>context.patientId</c>).</summary>
    public IReadOnlyList<FhirProblem> Problems { get; init; } = [];

    /// <summary>Prefetch keys MgAuth needs and the request did not carry (MgAuth does not query the EHR's FHIR server).</summary>
    public IReadOnlyList<string> MissingPrefetch { get; init; } = [];

    /// <summary>The IVIG draft orders; none when the draft orders are for services MgAuth does not manage.</summary>
    public IReadOnlyList<DraftIvigOrder> Orders { get; init; } = [];

    public bool IsValid => Problems.Count == 0 && MissingPrefetch.Count == 0;
}

/// <summary>
/// Reads a CDS Hooks 2.0 <c>order-sign</c> request for Da Vinci CRD: the draft IVIG MedicationRequest(s) in
/// <c>context.draftOrders</c> and the prefetch (<see cref="Prefetch"/>) are assembled into a PAS-shaped request
/// Bundle — a Claim whose one item asks for the draft order and whose supportingInfo points at the findings — and
/// read by <see cref="PasRequestReader"/>, so CRD and PAS share one mapping (docs/fhir-mapping.md, "CRD").
/// </summary>
public static partial class OrderSignReader
{
    public const string Hook = "order-sign";

    /// <summary>The prefetch MgAuth asks for; <c>patient</c> and <c>coverage</c> are required.</summary>
    public static IReadOnlyDictionary<string, string> Prefetch { get; } = new Dictionary<string, string>
    {
        ["patient"] = "Patient/{{context.patientId}}",
        ["coverage"] = "Coverage?patient={{context.patientId}}&status=active",
        ["user"] = "{{context.userId}}",
        ["conditions"] = "Condition?patient={{context.patientId}}&clinical-status=active",
        ["observations"] = "Observation?patient={{context.patientId}}&code=" + string.Join(",",
            ObservedFields.All.SelectMany(f => f.AlsoAccepted.Prepend(f.Code)).Select(c => $"{c.System}|{c.Code}")),
        ["medicationStatements"] = "MedicationStatement?patient={{context.patientId}}",
        ["plannedProcedures"] = "ServiceRequest?patient={{context.patientId}}&intent=plan&status=active",
        ["plannedMedications"] = "MedicationRequest?patient={{context.patientId}}&intent=plan&status=active",
    };

    public static readonly string[] RequiredPrefetch = ["patient", "coverage"];

    private static readonly JsonDocumentOptions StrictJson = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Reads an order-sign request with the value sets of the release in force (<see cref="ValueSets.Of"/>).</summary>
    public static OrderSign Read(string json, ValueSets terminology)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(terminology);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, StrictJson);
        }
        catch (JsonException e)
        {
            return Invalid(new FhirProblem("$", "is not JSON: " + e.Message));
        }
        using (document)
            return Read(document.RootElement, terminology);
    }

    private static OrderSign Read(JsonElement root, ValueSets terminology)
    {
        if (root.ValueKind != JsonValueKind.Object) return Invalid(new FhirProblem("$", "must be a JSON object (a CDS Hooks request)"));
        var problems = new List<FhirProblem>();
        var hook = Text(root, "hook", problems);
        if (hook is not null && hook != Hook) problems.Add(new FhirProblem("hook", $"must be {Hook}, not {hook}"));
        Text(root, "hookInstance", problems);

        string? patientId = null;
        Bundle? drafts = null;
        if (!root.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
            problems.Add(new FhirProblem("context", "is required: an object with userId, patientId and draftOrders"));
        else
        {
            Text(context, "userId", problems, "context.");
            patientId = Text(context, "patientId", problems, "context.");
            drafts = Resource<Bundle>(context, "draftOrders", "context.draftOrders", problems, required: true);
        }

        var prefetch = new Dictionary<string, Resource>();
        if (root.TryGetProperty("prefetch", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.Object) problems.Add(new FhirProblem("prefetch", "must be an object of prefetch keys"));
            else
                foreach (var key in Prefetch.Keys)
                    if (Resource<Resource>(given, key, "prefetch." + key, problems, required: false) is { } resource)
                        prefetch[key] = resource;
        }
        if (problems.Count > 0 || drafts is null) return new OrderSign { Problems = problems };

        var ivig = drafts.Entry.Select((e, i) => (Draft: e.Resource as MedicationRequest, Path: $"context.draftOrders.entry[{i}].resource"))
            .Where(x => x.Draft is not null && terminology.IsIvig(MedicationOf(x.Draft, drafts))).ToArray();
        // Services MgAuth does not manage get no response content.
        if (ivig.Length == 0) return new OrderSign();

        var missing = RequiredPrefetch.Where(k => !prefetch.ContainsKey(k)).ToArray();
        if (missing.Length > 0) return new OrderSign { MissingPrefetch = missing };
        if (prefetch["patient"] is not Patient patient)
            problems.Add(new FhirProblem("prefetch.patient", $"must be a Patient, not {prefetch["patient"].TypeName}"));
        else if (patient.Id is not null && patient.Id != PatientId(patientId!))
            problems.Add(new FhirProblem("prefetch.patient.id", $"must be the patient of context.patientId ({patientId})"));
        var coverage = Found<Coverage>(prefetch, "coverage")
            .OrderBy(c => c.Resource.Status == FinancialResourceStatusCodes.Active ? 0 : 1).FirstOrDefault();
        if (coverage.Resource is null) problems.Add(new FhirProblem("prefetch.coverage", "holds no Coverage of the patient"));
        if (problems.Count > 0) return new OrderSign { Problems = problems };

        var orders = ivig.Select(d => Assemble(d.Draft!, d.Path, drafts, prefetch, coverage, terminology)).ToArray();
        return new OrderSign { Orders = orders };
    }

    // ---- the PAS-shaped Bundle ---------------------------------------------------------------------

    private sealed class Assembly
    {
        public List<Bundle.EntryComponent> Entries { get; } = [];
        public List<string> Origins { get; } = [];

        public ResourceReference Add(Resource resource, string origin)
        {
            var existing = Entries.FindIndex(e => ReferenceEquals(e.Resource, resource));
            if (existing >= 0) return new ResourceReference(Entries[existing].FullUrl);
            var fullUrl = "urn:uuid:" + Guid.NewGuid().ToString("D");
            Entries.Add(new Bundle.EntryComponent { FullUrl = fullUrl, Resource = resource });
            Origins.Add(origin);
            return new ResourceReference(fullUrl);
        }
    }

    private static DraftIvigOrder Assemble(MedicationRequest draft, string draftPath, Bundle drafts,
        Dictionary<string, Resource> prefetch, (Coverage Resource, string Path) coverage, ValueSets terminology)
    {
        var assembly = new Assembly();
        var claim = new Claim
        {
            Status = FinancialResourceStatusCodes.Active,
            Type = new CodeableConcept { Coding = [PasCodes.Professional] },
            Use = ClaimUseCode.Preauthorization,
            Created = new FhirDateTime(DateTimeOffset.UtcNow).Value,
            Insurer = new ResourceReference { Display = PasRequestWriter.InsurerName },
        };
        assembly.Add(claim, draftPath);
        claim.Patient = assembly.Add(prefetch["patient"], "prefetch.patient");
        claim.Insurance.Add(new Claim.InsuranceComponent { Sequence = 1, Focal = true, Coverage = assembly.Add(coverage.Resource, coverage.Path) });
        var order = assembly.Add(draft, draftPath);

        // Everything a reference may resolve to: the other draft orders, the user, the prefetched resources.
        var others = drafts.Entry.Select((e, i) => (e.Resource, Path: $"context.draftOrders.entry[{i}].resource"))
            .Where(x => x.Resource is not null && !ReferenceEquals(x.Resource, draft)).ToArray();
        if (prefetch.TryGetValue("user", out var user)) assembly.Add(user, "prefetch.user");
        var conditions = Found<Condition>(prefetch, "conditions");
        foreach (var (condition, path) in conditions) assembly.Add(condition, path);

        // routine → normal (standard); urgent, asap and stat → stat (expedited); no priority, no urgency.
        Domain.Requests.Urgency? urgency = draft.Priority switch
        {
            RequestPriority.Stat or RequestPriority.Asap or RequestPriority.Urgent => Domain.Requests.Urgency.Expedited,
            RequestPriority.Routine => Domain.Requests.Urgency.Standard,
            _ => null,
        };
        if (urgency is { } u) claim.Priority = new CodeableConcept { Coding = [PasCodes.Priority(u)] };
        claim.Provider = draft.Requester ?? new ResourceReference { Display = "the ordering clinician" };
        var index = new BundleIndex(new Bundle { Entry = assembly.Entries });
        if (index.Resolve(claim.Provider) is null && user is not null) claim.Provider = new ResourceReference(assembly.Entries[assembly.Origins.IndexOf("prefetch.user")].FullUrl);

        // The diagnosis: the conditions the order gives as its reason, then myasthenia gravis (G70.*), then the rest.
        var reasons = draft.ReasonReference.Select(r => index.Resolve(r)?.Resource).OfType<Condition>().ToList();
        foreach (var condition in reasons.Concat(conditions.Select(c => c.Resource).OrderBy(c => IsMyastheniaGravis(c) ? 0 : 1)).Distinct())
            if (condition.Code?.Coding.Any(c => c.System == Systems.Icd10Cm) == true)
                claim.Diagnosis.Add(new Claim.DiagnosisComponent
                {
                    Sequence = claim.Diagnosis.Count + 1,
                    Diagnosis = new ResourceReference(assembly.Entries[assembly.Entries.FindIndex(e => ReferenceEquals(e.Resource, condition))].FullUrl),
                });

        var item = new Claim.ItemComponent
        {
            Sequence = 1,
            Category = new CodeableConcept { Coding = [PasCodes.MedicalCare] },
            ProductOrService = (CodeableConcept)MedicationOf(draft, drafts)!.DeepCopy(),
        };
        item.Extension.Add(new Extension(PasExtensions.CertificationType,
            new CodeableConcept { Coding = [draft.PriorPrescription is null ? PasCodes.Initial : PasCodes.Renewal] }));
        item.Extension.Add(new Extension(PasExtensions.RequestedService, order));
        claim.Item.Add(item);

        foreach (var (finding, path) in Findings(prefetch, others, terminology))
            claim.SupportingInfo.Add(new Claim.SupportingInformationComponent
            {
                Sequence = claim.SupportingInfo.Count + 1,
                Category = new CodeableConcept { Coding = [FindingCodes.Coding(CategoryOf(finding, terminology))] },
                Value = assembly.Add(finding, path),
            });
        // The references inside the draft and the findings resolve by Type/id among everything the call carried.
        foreach (var (resource, path) in others) assembly.Add(resource!, path);
        foreach (var key in prefetch.Keys)
            foreach (var (found, path) in Found<Resource>(prefetch, key))
                assembly.Add(found, path);

        var bundle = new Bundle { Type = Bundle.BundleType.Collection, Timestamp = DateTimeOffset.UtcNow, Entry = assembly.Entries };
        var origins = assembly.Origins.ToArray();
        return new DraftIvigOrder
        {
            Draft = draft,
            Medication = item.ProductOrService,
            Path = draftPath,
            Submission = PasRequestReader.Read(bundle, terminology),
            Billing = IvigProducts.Billing(item.ProductOrService, terminology),
            Coverage = coverage.Resource.Id is { } id ? new ResourceReference("Coverage/" + id) : new ResourceReference { Display = "the member's coverage" },
            HookPath = path => HookPath(path, origins, draftPath, coverage.Path),
        };
    }

    // What the policy reads: the latest Observation of each finding, the MedicationStatements of MG therapies (an
    // outcome coded in mgauth-findings) and IVIG courses, the first planned operation and the first planned prednisone.
    private static IEnumerable<(Resource Resource, string Path)> Findings(Dictionary<string, Resource> prefetch, (Resource? Resource, string Path)[] drafts,
        ValueSets terminology)
    {
        var observations = Found<Observation>(prefetch, "observations")
            .Where(o => o.Resource.Status != ObservationStatus.EnteredInError && ObservedFields.For(o.Resource.Code, terminology) is not null)
            .GroupBy(o => ObservedFields.For(o.Resource.Code, terminology)!.Path)
            .Select(g => g.OrderByDescending(o => When(o.Resource), StringComparer.Ordinal).First());
        foreach (var observation in observations) yield return observation;

        foreach (var (statement, path) in Found<MedicationStatement>(prefetch, "medicationStatements"))
            if (terminology.IsIvig(statement.Medication as CodeableConcept)
                || statement.StatusReason.SelectMany(r => r.Coding).Any(c => c.System == FindingCodes.System && FindingCodes.TherapyOutcomes.TryParse(c.Code, out _)))
                yield return (statement, path);

        var candidates = drafts.Where(d => d.Resource is not null).Select(d => (d.Resource!, d.Path))
            .Concat(Found<ServiceRequest>(prefetch, "plannedProcedures").Select(x => ((Resource)x.Resource, x.Path)))
            .Concat(Found<MedicationRequest>(prefetch, "plannedMedications").Select(x => ((Resource)x.Resource, x.Path))).ToArray();
        if (candidates.FirstOrDefault(c => c.Item1 is ServiceRequest { Intent: RequestIntent.Plan }) is ({ } surgery, var surgeryPath))
            yield return (surgery, surgeryPath);
        if (candidates.FirstOrDefault(c => c.Item1 is MedicationRequest m && IsPrednisone(m, terminology)) is ({ } steroid, var steroidPath))
            yield return (steroid, steroidPath);
    }

    private static string CategoryOf(Resource finding, ValueSets terminology) => finding switch
    {
        Observation => FindingCodes.ClinicalFinding,
        MedicationStatement s when terminology.IsIvig(s.Medication as CodeableConcept) => FindingCodes.PriorIvigCourse,
        MedicationStatement => FindingCodes.PriorTherapy,
        ServiceRequest => FindingCodes.PlannedSurgery,
        _ => FindingCodes.PlannedCorticosteroid,
    };

    private static string When(Observation observation) => observation.Effective switch
    {
        FhirDateTime moment => moment.Value ?? "",
        Period period => period.Start ?? period.End ?? "",
        Instant instant => instant.Value?.ToString("O") ?? "",
        _ => observation.Issued?.ToString("O") ?? "",
    };

    private static bool IsPrednisone(MedicationRequest request, ValueSets terminology) =>
        request.Medication is CodeableConcept concept && !terminology.IsIvig(concept)
        && (concept.Coding.Any(c => c.System == PasCodes.Prednisone.System && c.Code == PasCodes.Prednisone.Code)
            || concept.Text?.Contains("prednisone", StringComparison.OrdinalIgnoreCase) == true);

    private static bool IsMyastheniaGravis(Condition condition) =>
        condition.Code?.Coding.Any(c => c.System == Systems.Icd10Cm && c.Code?.StartsWith("G70", StringComparison.Ordinal) == true) == true;

    /// <summary>A prefetched resource, or the resources of a prefetched search Bundle, with their hook paths.</summary>
    private static IEnumerable<(T Resource, string Path)> Found<T>(Dictionary<string, Resource> prefetch, string key) where T : Resource
    {
        if (!prefetch.TryGetValue(key, out var value)) yield break;
        if (value is Bundle bundle && typeof(T) != typeof(Bundle))
        {
            for (var i = 0; i < bundle.Entry.Count; i++)
                if (bundle.Entry[i].Resource is T found) yield return (found, $"prefetch.{key}.entry[{i}].resource");
        }
        else if (value is T single) yield return (single, "prefetch." + key);
    }

    [GeneratedRegex(@"^Bundle\.entry\[(\d+)\]\.resource(.*)$")]
    private static partial Regex EntryPath();

    // The assembled Claim is MgAuth's own: a problem at one of its elements is a problem of what the element was made from.
    private static string HookPath(string path, string[] origins, string draftPath, string coveragePath)
    {
        var match = EntryPath().Match(path);
        if (!match.Success) return path;
        var entry = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var rest = match.Groups[2].Value;
        if (entry > 0) return entry < origins.Length ? origins[entry] + rest : path;
        return rest switch
        {
            _ when rest.StartsWith(".diagnosis", StringComparison.Ordinal) => "prefetch.conditions",
            _ when rest.StartsWith(".insurance", StringComparison.Ordinal) => coveragePath,
            _ when rest.StartsWith(".patient", StringComparison.Ordinal) => "prefetch.patient",
            _ when rest.StartsWith(".priority", StringComparison.Ordinal) => draftPath + ".priority",
            _ when rest.StartsWith(".provider", StringComparison.Ordinal) => draftPath + ".requester",
            _ when rest.StartsWith(".item", StringComparison.Ordinal) && rest.Contains("certificationType", StringComparison.Ordinal) => draftPath + ".priorPrescription",
            _ => draftPath,
        };
    }

    /// <summary>
    /// What a draft MedicationRequest orders: its <c>medicationCodeableConcept</c>, or the code of the Medication its
    /// <c>medicationReference</c> names — contained (<c>#id</c>) or among the draft orders (<c>Medication/id</c>, a fullUrl).
    /// </summary>
    public static CodeableConcept? MedicationOf(MedicationRequest draft, Bundle drafts)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(drafts);
        if (draft.Medication is CodeableConcept concept) return concept;
        if (draft.Medication is not ResourceReference { Reference: { Length: > 0 } reference }) return null;
        var medication = reference.StartsWith('#')
            ? draft.Contained.OfType<Medication>().FirstOrDefault(m => m.Id == reference[1..])
            : drafts.Entry.FirstOrDefault(e => e.Resource is Medication m && (e.FullUrl == reference || $"Medication/{m.Id}" == reference
                || (e.FullUrl?.EndsWith("/" + reference, StringComparison.Ordinal) ?? false)))?.Resource as Medication;
        return medication?.Code;
    }

    private static string PatientId(string reference) => reference.Split('/')[^1];

    private static string? Text(JsonElement parent, string name, List<FhirProblem> problems, string prefix = "")
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text) return text;
        problems.Add(new FhirProblem(prefix + name, "is required: a non-empty string"));
        return null;
    }

    private static T? Resource<T>(JsonElement parent, string name, string path, List<FhirProblem> problems, bool required) where T : Resource
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) problems.Add(new FhirProblem(path, $"is required: a FHIR {typeof(T).Name}"));
            return null;
        }
        var (resource, parsed, unreadable) = PasRequestReader.ParseResource(value.GetRawText(), path);
        if (unreadable)
        {
            problems.AddRange(parsed);
            return null;
        }
        // The parser names a path from the resource type (Bundle.entry[0]…); the hook names it from its own key.
        problems.AddRange(parsed.Select(p => p with { Path = Under(p.Path, path) }));
        if (resource is T typed) return typed;
        problems.Add(new FhirProblem(path + ".resourceType", $"must be {typeof(T).Name}, not {resource?.TypeName ?? "absent"}"));
        return null;
    }

    private static string Under(string instancePath, string path)
    {
        var dot = instancePath.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? path : path + instancePath[dot..];
    }

    private static OrderSign Invalid(params FhirProblem[] problems) => new() { Problems = problems };
}
