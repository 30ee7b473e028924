using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace MgAuth.Fhir;

/// <summary>
/// Reads a Da Vinci PAS request Bundle: parses it as R4 with Firely's strict deserializer, checks the PAS
/// rules the facade relies on (the Claim first, <c>use</c> = preauthorization, a focal Coverage, an item), and
/// turns an IVIG request into the contract request (docs/fhir-mapping.md). Nothing is invented: a contract
/// field the Bundle does not carry is absent from the request.
/// </summary>
public static class PasRequestReader
{
    // Strict, as the SDK ships it: unknown elements, wrong types and bad codes are errors.
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    private static readonly JsonDocumentOptions StrictJson = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>
    /// Reads a PAS request Bundle's JSON with the value sets of the release in force (<see cref="ValueSets.Of"/>); null
    /// stands for a release from before value sets, read with the shipped ones.
    /// </summary>
    public static PasSubmission Read(string json, ValueSets? terminology)
    {
        var (bundle, problems) = Parse(json);
        return bundle is null || problems.Length > 0 ? Invalid(bundle, problems) : Read(bundle, terminology);
    }

    /// <summary>A stored request Bundle as it was sent (parsed strictly; null when it is not one).</summary>
    public static Bundle? BundleOf(string json) => Parse(json).Bundle;

    /// <summary>
    /// Parses a Bundle as R4, strictly. The Bundle is null when the JSON is not one at all; the problems name every
    /// parser issue at its path.
    /// </summary>
    internal static (Bundle? Bundle, FhirProblem[] Problems) Parse(string json)
    {
        var (resource, parseProblems, unreadable) = ParseResource(json, "Bundle");
        if (unreadable) return (null, parseProblems);
        if (resource is not Bundle bundle)
            return (null, [new FhirProblem("resourceType", $"must be Bundle, not {resource?.TypeName ?? "absent"}"), .. parseProblems]);
        return (bundle, parseProblems);
    }

    /// <summary>
    /// Parses any R4 resource, strictly. The problems name every parser issue at its instance path
    /// (<c>Bundle.entry[1].resource.birthDate</c>); JSON that cannot be read at all is <c>Unreadable</c>, a problem at <paramref name="at"/>.
    /// </summary>
    internal static (Resource? Resource, FhirProblem[] Problems, bool Unreadable) ParseResource(string json, string at)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (NotAnObject(json) is { } notJson) return (null, [new FhirProblem(at, notJson)], true);

        Resource? resource;
        IEnumerable<CodedException> issues;
        try
        {
            Deserializer.TryDeserializeResource(json, out resource, out issues);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return (null, [new FhirProblem(at, e.Message)], true);
        }
        return (resource, issues.Select(i => Problem(i, at)).ToArray(), false);
    }

    /// <summary>Reads a Bundle that is already parsed (<paramref name="terminology"/> as for the JSON).</summary>
    public static PasSubmission Read(Bundle bundle, ValueSets? terminology)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        terminology ??= ValueSets.Shipped;
        var index = new BundleIndex(bundle);
        var problems = new List<FhirProblem>();
        var claim = FirstClaim(bundle, problems);
        if (claim is not null) CheckClaim(claim, index, problems);
        if (problems.Count > 0 || claim is null) return Invalid(bundle, [.. problems]);

        if (IvigItem(claim, index, terminology) is not { } item)
            return new PasSubmission { Kind = SubmissionKind.OtherService, Bundle = bundle, Services = claim.Item.SelectMany(Services).ToArray() };

        var contract = new ContractRequestBuilder(bundle, index, claim, terminology);
        var request = contract.Build(item);
        return contract.Problems.Count > 0
            ? Invalid(bundle, [.. contract.Problems])
            : new PasSubmission { Kind = SubmissionKind.Ivig, Bundle = bundle, Request = request, Sources = contract.Sources, Plan = contract.Plan };
    }

    private static string? NotAnObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, StrictJson);
            return document.RootElement.ValueKind == JsonValueKind.Object ? null : "must be a JSON object (a FHIR resource)";
        }
        catch (JsonException e)
        {
            return "is not JSON: " + e.Message;
        }
    }

    private static FhirProblem Problem(CodedException issue, string at) => issue is ExtendedCodedException { InstancePath: { Length: > 0 } path } extended
        ? new FhirProblem(path, string.IsNullOrEmpty(extended.BaseErrorMessage) ? extended.Message : extended.BaseErrorMessage)
        : new FhirProblem(at, issue.Message);

    private static Claim? FirstClaim(Bundle bundle, List<FhirProblem> problems)
    {
        if (bundle.Entry.Count == 0)
        {
            problems.Add(new FhirProblem("Bundle.entry", "must hold the Claim and the resources it references"));
            return null;
        }
        if (bundle.Entry[0].Resource is Claim claim) return claim;
        problems.Add(new FhirProblem(BundleIndex.PathOf(0),
            $"must be the Claim (a PAS request Bundle starts with it), not {bundle.Entry[0].Resource?.TypeName ?? "empty"}"));
        return null;
    }

    private static void CheckClaim(Claim claim, BundleIndex index, List<FhirProblem> problems)
    {
        var at = BundleIndex.PathOf(0);
        if (claim.Use != ClaimUseCode.Preauthorization)
            problems.Add(new FhirProblem(at + ".use", $"must be preauthorization, not {claim.Use?.GetLiteral() ?? "absent"}"));

        var focal = claim.Insurance.Select((insurance, i) => (insurance, i)).Where(x => x.insurance.Focal == true).ToArray();
        if (focal.Length == 0)
            problems.Add(new FhirProblem(at + ".insurance", "needs a focal Coverage (an insurance with focal = true)"));
        foreach (var (insurance, i) in focal)
            if (index.Resolve<Coverage>(insurance.Coverage, out _) is null)
                problems.Add(new FhirProblem($"{at}.insurance[{i}].coverage",
                    $"refers to no Coverage in the Bundle ({insurance.Coverage?.Reference ?? "no reference"})"));

        if (claim.Item.Count == 0) problems.Add(new FhirProblem(at + ".item", "needs at least one item"));
    }

    // MgAuth's policies decide one IVIG item, with the infusion lines that administer it; any other Claim goes to a person.
    private static (Claim.ItemComponent Item, int Index)? IvigItem(Claim claim, BundleIndex index, ValueSets terminology)
    {
        var drugs = claim.Item.Select((item, i) => (item, i)).Where(x => IsIvig(x.item, index, terminology)).ToArray();
        if (drugs.Length != 1) return null;
        var others = claim.Item.Where(item => !ReferenceEquals(item, drugs[0].item));
        return others.All(item => terminology.Has(Domain.Terminology.ContractFacts.IvigAdministration, item.ProductOrService)) ? drugs[0] : null;
    }

    private static bool IsIvig(Claim.ItemComponent item, BundleIndex index, ValueSets terminology)
    {
        var order = index.Resolve<MedicationRequest>(RequestedService(item), out _);
        return terminology.IsIvig(item.ProductOrService) || terminology.IsIvig(order?.Medication as CodeableConcept);
    }

    /// <summary>The Claim lines that administer the IVIG item (CPT infusion codes of the release's value sets): decided with it.</summary>
    public static IReadOnlyList<int> AdministrationLines(Claim claim, ValueSets? terminology = null) =>
        claim.Item.Select((item, i) => (item, i))
            .Where(x => (terminology ?? ValueSets.Shipped).Has(Domain.Terminology.ContractFacts.IvigAdministration, x.item.ProductOrService))
            .Select(x => x.i).ToArray();

    internal static ResourceReference? RequestedService(Claim.ItemComponent item) =>
        item.GetExtensionValue<ResourceReference>(PasExtensions.RequestedService);

    private static IEnumerable<string> Services(Claim.ItemComponent item) =>
        item.ProductOrService?.Coding is { Count: > 0 } codings
            ? codings.Select(c => $"{c.System}|{c.Code}")
            : [item.ProductOrService?.Text ?? $"item {item.Sequence}"];

    private static PasSubmission Invalid(Bundle? bundle, params FhirProblem[] problems) =>
        new() { Kind = SubmissionKind.Invalid, Bundle = bundle, Problems = problems };
}
