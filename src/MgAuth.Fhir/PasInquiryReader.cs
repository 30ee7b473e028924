using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>
/// What a PAS inquiry Bundle (Claim/$inquire) asks about: the Claim's identifiers, as the guide's query by example
/// gives them (the submitter's identifier of the original Claim), and any MgAuth authorization id it carries (an
/// identifier in <see cref="Systems.AuthorizationId"/>, a <c>PA-…</c> value, or an item's reviewAction number, as
/// the response gave them).
/// </summary>
public sealed class PasInquiry
{
    public Bundle? Bundle { get; init; }

    public IReadOnlyList<FhirProblem> Problems { get; init; } = [];

    public IReadOnlyList<string> AuthorizationIds { get; init; } = [];

    public IReadOnlyList<Identifier> ClaimIdentifiers { get; init; } = [];

    public bool IsValid => Problems.Count == 0;
}

public static class PasInquiryReader
{
    public static PasInquiry Read(string json)
    {
        var (bundle, problems) = PasRequestReader.Parse(json);
        if (bundle is null || problems.Length > 0) return new PasInquiry { Bundle = bundle, Problems = problems };

        var at = BundleIndex.PathOf(0);
        if (bundle.Entry.FirstOrDefault()?.Resource is not Claim claim)
            return Invalid(bundle, new FhirProblem(bundle.Entry.Count == 0 ? "Bundle.entry" : at,
                "must start with the Claim that identifies the request asked about (PAS Claim Inquiry)"));
        if (claim.Use != ClaimUseCode.Preauthorization)
            return Invalid(bundle, new FhirProblem(at + ".use", "must be preauthorization"));

        var identifiers = claim.Identifier.Where(i => !string.IsNullOrEmpty(i.Value)).ToArray();
        var numbers = claim.Item
            .SelectMany(item => item.Extension.Where(e => e.Url == PasExtensions.ReviewAction))
            .SelectMany(action => action.Extension.Where(e => e.Url == "number"))
            .Select(number => (number.Value as FhirString)?.Value);
        var ids = identifiers.Where(i => i.System == Systems.AuthorizationId || i.Value!.StartsWith("PA-", StringComparison.Ordinal))
            .Select(i => i.Value).Concat(numbers).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (identifiers.Length == 0 && ids.Length == 0)
            return Invalid(bundle, new FhirProblem(at + ".identifier", "must identify the request: the original Claim's identifier or its preAuthRef"));
        return new PasInquiry { Bundle = bundle, AuthorizationIds = ids, ClaimIdentifiers = identifiers };
    }

    private static PasInquiry Invalid(Bundle bundle, FhirProblem problem) => new() { Bundle = bundle, Problems = [problem] };
}
