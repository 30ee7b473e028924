using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>
/// What <c>$questionnaire-package</c> answers: the package; or, for orders MgAuth has no questionnaire for, an
/// OperationOutcome saying so (<see cref="NoQuestionnaire"/>); or the problems that make the input unusable.
/// </summary>
public sealed record QuestionnairePackageResult(Parameters? Package, IReadOnlyList<FhirProblem> Problems)
{
    public OperationOutcome? NoQuestionnaire { get; init; }
}

/// <summary>
/// Da Vinci DTR 2.0.1 <c>Questionnaire/$questionnaire-package</c>: for a Coverage and an IVIG order (a
/// MedicationRequest or ServiceRequest coded by any code of the release's IVIG value sets) the output Parameters hold
/// one <c>PackageBundle</c> (DTR-QPackageBundle: the <see cref="DtrQuestionnaire"/> first, its expanded answer value
/// sets, a draft QuestionnaireResponse whose DTR context names the coverage and the order, pre-populated from the
/// order). For orders MgAuth decides nothing about the answer is an OperationOutcome (a warning, not-found): DTR's
/// output profile holds at least one package whose first entry is a Questionnaire (dtrb-1), so an empty package would
/// break it, and the operation says its payload SHOULD be an OperationOutcome when it cannot answer. Input it cannot
/// use is a list of problems.
/// </summary>
public static class QuestionnairePackage
{
    /// <summary>Parameters with more entries than this are refused: a real EHR sends one coverage and a few orders.</summary>
    public const int MaxParameters = 20;

    private const string Dtr = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/";
    private const string QrContext = Dtr + "qr-context";

    public static QuestionnairePackageResult Answer(string json, ValueSets terminology, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terminology);
        var (resource, parseProblems, unreadable) = PasRequestReader.ParseResource(json, "Parameters");
        if (unreadable) return new(null, parseProblems);
        if (resource is not Parameters input)
            return new(null, [new FhirProblem("resourceType", $"must be Parameters, not {resource?.TypeName ?? "absent"}"), .. parseProblems]);
        if (parseProblems.Length > 0) return new(null, parseProblems);

        var problems = new List<FhirProblem>();
        if (input.Parameter.Count > MaxParameters)
            return new(null, [new FhirProblem("Parameters.parameter", $"holds {input.Parameter.Count} parameters; at most {MaxParameters} are read")]);

        var coverages = new List<Coverage>();
        var orders = new List<(Resource Order, int Index)>();
        for (var i = 0; i < input.Parameter.Count; i++)
        {
            var parameter = input.Parameter[i];
            var at = $"Parameters.parameter[{i}]";
            switch (parameter.Name)
            {
                case "coverage" when parameter.Resource is Coverage coverage:
                    if (Unknown(coverage) is { } why) problems.Add(new FhirProblem(at + ".resource", why));
                    else coverages.Add(coverage);
                    break;
                case "coverage":
                    problems.Add(new FhirProblem(at + ".resource", $"must be a Coverage, not {parameter.Resource?.TypeName ?? "absent"}"));
                    break;
                case "order" when parameter.Resource is { } order:
                    orders.Add((order, i));
                    break;
                case "order":
                    problems.Add(new FhirProblem(at + ".resource", "must be the order resource (a MedicationRequest or ServiceRequest)"));
                    break;
                case "questionnaire" when parameter.Value is Canonical { Value: { } canonical }:
                    if (canonical.Split('|')[0] != DtrQuestionnaire.Url)
                        problems.Add(new FhirProblem(at + ".valueCanonical", $"names no questionnaire MgAuth serves; it serves {DtrQuestionnaire.Url}"));
                    break;
                case "questionnaire" or "context" or "changedsince" or "referenced":
                    break;
                default:
                    problems.Add(new FhirProblem(at + ".name", $"'{parameter.Name}' is not a parameter of $questionnaire-package"));
                    break;
            }
        }
        if (coverages.Count == 0 && !problems.Any(p => p.Path.EndsWith(".resource", StringComparison.Ordinal)))
            problems.Add(new FhirProblem("Parameters.parameter", "needs a coverage (the member's Coverage)"));
        var asked = input.Parameter.Any(p => p.Name == "questionnaire");
        if (orders.Count == 0 && !asked)
            problems.Add(new FhirProblem("Parameters.parameter", "needs an order (the IVIG MedicationRequest or ServiceRequest) or a questionnaire"));
        if (problems.Count > 0) return new(null, problems);

        var ivig = orders.Where(o => IsIvig(o.Order, terminology)).ToArray();
        var output = new Parameters { Meta = new Meta { Profile = [Dtr + "dtr-qpackage-output-parameters"] } };
        if (ivig.Length == 0 && !asked)
            return new(null, []) { NoQuestionnaire = Warning("None of the orders is for intravenous immune globulin; MgAuth has no questionnaire for them.") };
        output.Parameter.Add(new Parameters.ParameterComponent { Name = "PackageBundle", Resource = Package(coverages[0], ivig.Select(o => o.Order).FirstOrDefault(), terminology, now) });
        return new(output, []);
    }

    // A Coverage not in force is no coverage to gather documentation for (R4 itself requires its beneficiary and payor).
    private static string? Unknown(Coverage coverage) => coverage.Status == FinancialResourceStatusCodes.Active
        ? null
        : $"is not an active Coverage (status {coverage.Status?.ToString().ToLowerInvariant() ?? "absent"})";

    private static bool IsIvig(Resource order, ValueSets terminology) => order switch
    {
        MedicationRequest request => terminology.IsIvig(request.Medication as CodeableConcept),
        ServiceRequest service => terminology.IsIvig(service.Code),
        _ => false,
    };


    private static OperationOutcome Warning(string text) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Warning, Code = OperationOutcome.IssueType.NotFound, Diagnostics = text }],
    };

    private static Bundle Package(Coverage coverage, Resource? order, ValueSets terminology, DateTimeOffset now)
    {
        var bundle = new Bundle { Meta = new Meta { Profile = [Dtr + "DTR-QPackageBundle"] }, Type = Bundle.BundleType.Collection };
        var questionnaire = DtrQuestionnaire.Build(terminology, now);
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = DtrQuestionnaire.Url, Resource = questionnaire });
        foreach (var valueSet in DtrQuestionnaire.AnswerValueSets(terminology, now))
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = valueSet.Url, Resource = valueSet });
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:" + Guid.NewGuid(), Resource = Draft(coverage, order, now) });
        return bundle;
    }

    // The draft response: its subject the member, its DTR context the coverage and the order, and what the order says.
    private static QuestionnaireResponse Draft(Coverage coverage, Resource? order, DateTimeOffset now)
    {
        var draft = new QuestionnaireResponse
        {
            Questionnaire = DtrQuestionnaire.Canonical,
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.InProgress,
            Subject = coverage.Beneficiary,
            Authored = now.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
        };
        draft.Extension.Add(new Extension(QrContext, Reference(coverage)));
        if (order is not null) draft.Extension.Add(new Extension(QrContext, Reference(order)));
        if (order is MedicationRequest request)
        {
            var answers = new List<QuestionnaireResponse.ItemComponent>();
            var indication = request.ReasonCode.SelectMany(r => r.Coding)
                .FirstOrDefault(c => c.System == FindingCodes.System && FindingCodes.Indications.TryParse(c.Code, out _));
            if (indication is not null) answers.Add(Answered("indication", new Coding(indication.System, indication.Code, indication.Display)));
            if (request.DosageInstruction.FirstOrDefault()?.Timing?.Repeat?.Count is { } days)
                answers.Add(Answered("regimen.infusionDays", new Integer(days)));
            if (answers.Count > 0) draft.Item.Add(new QuestionnaireResponse.ItemComponent { LinkId = "request", Item = answers });
        }
        return draft;
    }

    private static ResourceReference Reference(Resource resource) =>
        new(resource.Id is { Length: > 0 } id ? $"{resource.TypeName}/{id}" : null) { Type = resource.TypeName };

    private static QuestionnaireResponse.ItemComponent Answered(string linkId, DataType value) =>
        new() { LinkId = linkId, Answer = [new QuestionnaireResponse.AnswerComponent { Value = value }] };
}
