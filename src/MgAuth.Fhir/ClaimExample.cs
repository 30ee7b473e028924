using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>
/// What a PAS Claim says about whom, by whom, for what and when, as the guide's query by example compares it (X12 278
/// inquiry): the member's identifiers (the Patient's and the Coverage's subscriber id), the provider's (the Claim's
/// <c>provider</c>), the services (each item's <c>productOrService</c> codings) and the service dates (each item's
/// <c>serviced[x]</c>, else the Claim's <c>billablePeriod</c>). An inquiry's criterion left out matches anything.
/// </summary>
public sealed record ClaimExample(
    IReadOnlySet<string> Members,
    IReadOnlySet<string> Providers,
    IReadOnlySet<string> Services,
    IReadOnlyList<(DateOnly From, DateOnly Through)> Dates)
{
    /// <summary>The example a stored request Bundle's JSON gives (an empty one when it no longer parses).</summary>
    public static ClaimExample Of(string bundleJson) =>
        PasRequestReader.Parse(bundleJson).Bundle is { } bundle ? Of(bundle) : new ClaimExample(Empty, Empty, Empty, []);

    /// <summary>The example the Bundle's first entry (its Claim) gives; an empty one when it holds no Claim.</summary>
    public static ClaimExample Of(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.Entry.FirstOrDefault()?.Resource is not Claim claim) return new ClaimExample(Empty, Empty, Empty, []);
        var index = new BundleIndex(bundle);
        var members = Identifiers(index.Resolve(claim.Patient)?.Resource as Patient is { } patient ? patient.Identifier : []);
        foreach (var insurance in claim.Insurance)
            if (index.Resolve(insurance.Coverage)?.Resource is Coverage { SubscriberId: { Length: > 0 } subscriber })
                members.Add(subscriber);
        var providers = Identifiers(index.Resolve(claim.Provider)?.Resource switch
        {
            Practitioner p => p.Identifier,
            Organization o => o.Identifier,
            PractitionerRole r => r.Identifier,
            _ => [],
        });
        if (claim.Provider?.Identifier?.Value is { Length: > 0 } named) providers.Add(named);
        var services = claim.Item.SelectMany(i => i.ProductOrService?.Coding ?? [])
            .Where(c => !string.IsNullOrEmpty(c.Code)).Select(c => $"{c.System}|{c.Code}").ToHashSet(StringComparer.Ordinal);
        var dates = claim.Item.Select(i => Period(i.Serviced)).OfType<(DateOnly, DateOnly)>().ToList();
        if (dates.Count == 0 && Period(claim.BillablePeriod) is { } billable) dates.Add(billable);
        return new ClaimExample(members, providers, services, dates);
    }

    /// <summary>
    /// Whether a stored request fits this inquiry: each criterion the inquiry gives shares a member or provider
    /// identifier, a service code, and a service period overlapping the request's.
    /// </summary>
    public bool Admits(ClaimExample stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return Shares(Members, stored.Members) && Shares(Providers, stored.Providers) && Shares(Services, stored.Services)
            && (Dates.Count == 0 || Dates.Any(d => stored.Dates.Any(s => d.From <= s.Through && s.From <= d.Through)));
    }

    private static readonly IReadOnlySet<string> Empty = new HashSet<string>();

    private static bool Shares(IReadOnlySet<string> asked, IReadOnlySet<string> held) => asked.Count == 0 || asked.Overlaps(held);

    private static HashSet<string> Identifiers(IEnumerable<Identifier> identifiers) =>
        identifiers.Select(i => i.Value).OfType<string>().Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);

    private static (DateOnly, DateOnly)? Period(DataType? serviced) => serviced switch
    {
        Date date when FhirDates.Day(date.Value) is { } day => (day, day),
        FhirDateTime at when FhirDates.Day(at.Value) is { } day => (day, day),
        Hl7.Fhir.Model.Period period when (FhirDates.Day(period.Start) ?? FhirDates.Day(period.End)) is { } from
            => (from, FhirDates.Day(period.End) ?? DateOnly.MaxValue),
        _ => null,
    };
}
