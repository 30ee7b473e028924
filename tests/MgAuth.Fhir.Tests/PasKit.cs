using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>
/// The Da Vinci PAS test kit's bundle checks (inferno-framework/davinci-pas-test-kit, cross_suite/
/// pas_bundle_validation.rb and pas_datatype_constraints.rb, v2.2.1), replayed with Firely's validator: the Bundle's
/// structure (the Claim or ClaimResponse first, every resource it refers to present exactly once, fullUrls that
/// are URLs or version 4 <c>urn:uuid</c>s, supportingInfo sequences unique), the Bundle against its PAS profile, the
/// first resource against its PAS profile, every other entry against its declared profile or else, as the kit
/// falls back, against the US Core profile for its type (first conformant one wins), and the Timing and Quantity
/// rules no StructureDefinition expresses (prof-1, prof-2, prof-3). Each finding is an error line.
/// </summary>
public static partial class PasKit
{
    private const string Pas = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/";
    private const string UsCore = "http://hl7.org/fhir/us/core/StructureDefinition/";
    public const string RequestBundle = Pas + "profile-pas-request-bundle";
    public const string ResponseBundle = Pas + "profile-pas-response-bundle";
    public const string InquiryResponseBundle = Pas + "profile-pas-inquiry-response-bundle";
    public const string Claim = Pas + "profile-claim";
    public const string ClaimUpdate = Pas + "profile-claim-update";
    public const string ClaimResponse = Pas + "profile-claimresponse";
    public const string ClaimInquiryResponse = Pas + "profile-claiminquiryresponse";
    private const string X12QuantityUnits = "https://codesystem.x12.org/005010/673";

    private static readonly Dictionary<string, string> UsCoreByType = new()
    {
        ["AllergyIntolerance"] = "us-core-allergyintolerance",
        ["CarePlan"] = "us-core-careplan",
        ["CareTeam"] = "us-core-careteam",
        ["Coverage"] = "us-core-coverage",
        ["DocumentReference"] = "us-core-documentreference",
        ["Encounter"] = "us-core-encounter",
        ["Immunization"] = "us-core-immunization",
        ["Location"] = "us-core-location",
        ["Medication"] = "us-core-medication",
        ["MedicationRequest"] = "us-core-medicationrequest",
        ["Organization"] = "us-core-organization",
        ["Patient"] = "us-core-patient",
        ["Practitioner"] = "us-core-practitioner",
        ["PractitionerRole"] = "us-core-practitionerrole",
        ["Procedure"] = "us-core-procedure",
        ["QuestionnaireResponse"] = "us-core-questionnaireresponse",
        ["RelatedPerson"] = "us-core-relatedperson",
        ["ServiceRequest"] = "us-core-servicerequest",
    };

    /// <summary>pas_server_…_pas_response_bundle_validation_test: a <c>$submit</c> answer.</summary>
    public static IReadOnlyList<string> SubmitResponseErrors(Bundle bundle)
    {
        var errors = new List<string>();
        if (bundle.Entry.FirstOrDefault()?.Resource is not Hl7.Fhir.Model.ClaimResponse)
            errors.Add("The first bundle entry must be a ClaimResponse");
        else
            References(bundle, errors);
        Conformance(bundle, ResponseBundle, ClaimResponse, errors);
        return errors;
    }

    /// <summary>The same check for an <c>$inquire</c> answer (the Bundle the Parameters' <c>return</c> carries).</summary>
    public static IReadOnlyList<string> InquireResponseErrors(Bundle bundle)
    {
        var errors = new List<string>();
        Conformance(bundle, InquiryResponseBundle, ClaimInquiryResponse, errors);
        return errors;
    }

    /// <summary>pas_server_…_pas_request_bundle_validation_test: a <c>$submit</c> request.</summary>
    public static IReadOnlyList<string> SubmitRequestErrors(Bundle bundle)
    {
        var errors = new List<string>();
        if (bundle.Entry.FirstOrDefault()?.Resource is not Hl7.Fhir.Model.Claim claim)
            errors.Add("The first bundle entry must be a Claim");
        else
        {
            References(bundle, errors);
            if (claim.SupportingInfo.Select(s => s.Sequence).Distinct().Count() != claim.SupportingInfo.Count)
                errors.Add("The sequence element for each supportingInfo entry SHALL be unique within the Claim.");
        }
        foreach (var entry in bundle.Entry.Where(e => !ValidFullUrl(e.FullUrl)))
            errors.Add($"Bundle.entry.fullUrl values SHALL be a valid url or in the form 'urn:uuid:[some guid]': {entry.FullUrl}");
        var root = bundle.Entry.FirstOrDefault()?.Resource as Hl7.Fhir.Model.Claim;
        Conformance(bundle, RequestBundle, root?.Related.Count > 0 ? ClaimUpdate : Claim, errors);
        return errors;
    }

    private static bool ValidFullUrl(string? fullUrl) =>
        fullUrl is not null && (UuidUrn().IsMatch(fullUrl) || (Uri.TryCreate(fullUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"));

    [GeneratedRegex("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", RegexOptions.IgnoreCase)]
    private static partial Regex UuidUrn();

    // Every reference reachable from the first resource names exactly one entry (ClaimResponse.request excepted).
    private static void References(Bundle bundle, List<string> errors)
    {
        var seen = new HashSet<Base>(ReferenceEqualityComparer.Instance);
        void Walk(Base element, bool skipRelated)
        {
            if (!seen.Add(element)) return;
            if (element is ResourceReference { Reference: { } reference })
            {
                // A relative reference (Patient/1) resolves against the base of the entries' absolute fullUrls.
                var matches = bundle.Entry.Where(e => e.FullUrl == reference
                    || (!reference.Contains(':', StringComparison.Ordinal) && e.FullUrl?.EndsWith("/" + reference, StringComparison.Ordinal) == true)).ToArray();
                if (matches.Length != 1) errors.Add($"The referenced {reference} resource SHALL appear exactly once in the Bundle, but found {matches.Length}.");
                if (matches.Length > 0 && matches[0].Resource is { } target) Walk(target, skipRelated: true);
                return;
            }
            foreach (var (name, value) in element.EnumerateElements())
            {
                if (name == "request" && element is Hl7.Fhir.Model.ClaimResponse) continue;
                if (name == "related" && skipRelated && element is Hl7.Fhir.Model.Claim) continue;
                if (value is Base child) Walk(child, skipRelated);
                else if (value is IEnumerable<Base> children)
                    foreach (var each in children) Walk(each, skipRelated);
            }
        }
        Walk(bundle.Entry[0].Resource!, skipRelated: false);
    }

    private static void Conformance(Bundle bundle, string bundleProfile, string rootProfile, List<string> errors)
    {
        // The Bundle as a whole (Firely follows its references to their PAS target profiles), then entry by entry.
        errors.AddRange(FhirValidation.Errors(bundle, bundleProfile).Where(e => !CrossVersion(e)).Select(e => "Bundle: " + e));
        var targets = PasTargets(bundle);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var resource = bundle.Entry[i].Resource;
            if (resource is null) continue;
            IEnumerable<string> candidates = i == 0 && resource is Hl7.Fhir.Model.Claim or Hl7.Fhir.Model.ClaimResponse ? [rootProfile]
                : targets.TryGetValue(bundle.Entry[i].FullUrl ?? "", out var target) ? [target]
                : resource.Meta?.Profile.Any() == true ? resource.Meta.Profile.OfType<string>()
                : UsCoreProfiles(resource);
            var failures = new List<string>();
            foreach (var profile in candidates.DefaultIfEmpty("http://hl7.org/fhir/StructureDefinition/" + resource.TypeName))
            {
                var found = FhirValidation.Errors(resource, profile).Where(e => !CrossVersion(e)).Concat(DatatypeConstraints(resource, profile)).ToArray();
                if (found.Length == 0) { failures.Clear(); break; }
                failures.AddRange(found.Select(f => $"{resource.TypeName} (entry {i}) against {profile}: {f}"));
            }
            errors.AddRange(failures);
        }
    }

    // R5 cross-version extensions (http://hl7.org/fhir/5.0/StructureDefinition/extension-…, which the guide's
    // examples use) are built into the HL7 validator the kit runs; their package is not here and Firely has none.
    private static bool CrossVersion(string error) =>
        error.Contains("Unable to resolve reference to profile 'http://hl7.org/fhir/5.0/StructureDefinition/extension-", StringComparison.Ordinal);

    // The PAS profile the first resource's references name for their targets, by the target's fullUrl.
    private static Dictionary<string, string> PasTargets(Bundle bundle)
    {
        var targets = new Dictionary<string, string>();
        void Add(ResourceReference? reference, string profile)
        {
            if (reference?.Reference is { } url) targets.TryAdd(url, Pas + profile);
        }
        switch (bundle.Entry.FirstOrDefault()?.Resource)
        {
            case Hl7.Fhir.Model.Claim claim:
                Add(claim.Patient, "profile-beneficiary");
                Add(claim.Insurer, "profile-insurer");
                Add(claim.Provider, "profile-requestor");
                foreach (var insurance in claim.Insurance) Add(insurance.Coverage, "profile-coverage");
                foreach (var item in claim.Item)
                    if (item.GetExtension(PasExtensions.RequestedService)?.Value is ResourceReference service
                        && bundle.Entry.FirstOrDefault(e => e.FullUrl == service.Reference)?.Resource is { } requested)
                        Add(service, "profile-" + requested.TypeName.ToLowerInvariant());
                break;
            case Hl7.Fhir.Model.ClaimResponse response:
                Add(response.Patient, "profile-beneficiary");
                Add(response.Insurer, "profile-insurer");
                Add(response.Requestor, "profile-requestor");
                foreach (var insurance in response.Insurance) Add(insurance.Coverage, "profile-coverage");
                break;
        }
        return targets;
    }

    private static IEnumerable<string> UsCoreProfiles(Resource resource)
    {
        if (resource is Observation observation)
        {
            bool Category(string code) => observation.Category.Any(c => c.Coding.Any(x => x.System == Systems.ObservationCategory && x.Code == code));
            if (observation.Code?.Coding.Any(c => c.System == Systems.Loinc && c.Code == "29463-7") == true) return [UsCore + "us-core-body-weight"];
            if (observation.Code?.Coding.Any(c => c.System == Systems.Loinc && c.Code == "8302-2") == true) return [UsCore + "us-core-body-height"];
            var ids = new List<string>();
            if (Category("vital-signs")) ids.Add("us-core-vital-signs");
            if (Category("survey")) ids.Add("us-core-observation-screening-assessment");
            ids.Add(Category("laboratory") ? "us-core-observation-lab" : "us-core-observation-clinical-result");
            ids.Add("us-core-simple-observation");
            return ids.Select(id => UsCore + id);
        }
        if (resource is Condition condition)
            return [UsCore + (condition.Category.Any(c => c.Coding.Any(x => x.Code == "encounter-diagnosis")) ? "us-core-condition-encounter-diagnosis" : "us-core-condition-problems-health-concerns")];
        return UsCoreByType.TryGetValue(resource.TypeName, out var id) ? [UsCore + id] : [];
    }

    // prof-1 (Timing), prof-2 and prof-3 (Quantity): the PAS 2.2 data type rules no FHIRPath carries.
    private static IEnumerable<string> DatatypeConstraints(Resource resource, string profile)
    {
        var unversioned = profile.Split('|')[0];
        if (unversioned is Pas + "profile-medicationrequest" or Pas + "profile-servicerequest" or Pas + "profile-devicerequest")
        {
            var timings = resource switch
            {
                MedicationRequest m => m.DosageInstruction.Select(d => d.Timing),
                ServiceRequest s => [s.Occurrence as Timing],
                DeviceRequest d => [d.Occurrence as Timing],
                _ => [],
            };
            foreach (var timing in timings.OfType<Timing>())
            {
                var repeat = timing.Repeat;
                var ok = repeat?.Count is not null || (repeat?.Frequency is not null && repeat.Period is not null && repeat.PeriodUnit is not null)
                    || timing.Extension.Any(e => e.Url is Pas + "extension-timingcalendarpattern" or Pas + "extension-timingdeliverypattern");
                if (!ok) yield return "Timings SHALL have at least one of: a count, a frequency and period and periodUnit, a calendarPattern, or a deliveryPattern (prof-1)";
            }
        }
        if (unversioned is Claim or ClaimUpdate or ClaimResponse or ClaimInquiryResponse or Pas + "profile-servicerequest")
        {
            var quantities = resource switch
            {
                Hl7.Fhir.Model.Claim c => c.Item.Select(i => i.Quantity),
                Hl7.Fhir.Model.ClaimResponse r => r.AddItem.Select(a => a.Quantity).Concat(r.Item.SelectMany(i =>
                    i.Extension.Where(e => e.Url == PasExtensions.ItemAuthorizedDetail).Select(e => e.GetExtension("quantity")?.Value as Quantity))),
                ServiceRequest s => [s.Quantity as Quantity],
                _ => [],
            };
            foreach (var quantity in quantities.OfType<Quantity>())
            {
                if (quantity.Value is null || (quantity.Unit is null && quantity.Code is null))
                    yield return "Quantities SHALL have a value and either a unit or a code (prof-2)";
                if (quantity.Code is not null && quantity.System != X12QuantityUnits)
                    yield return $"If a quantity code is present, it SHALL use the X12 quantity units (system {X12QuantityUnits}) (prof-3)";
            }
        }
    }
}
