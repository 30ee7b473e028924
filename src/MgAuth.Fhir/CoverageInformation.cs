using Hl7.Fhir.Model;
using MgAuth.Domain.Decisions;

namespace MgAuth.Fhir;

/// <summary>
/// A decision as Da Vinci CRD's coverage-information extension on the draft order: covered (approve → covered, deny →
/// not-covered, review → conditional), pa-needed (auth-needed: MgAuth requires prior authorization of every IVIG
/// course in myasthenia gravis — on a not-covered answer too: crd-ci-q2's sentence says it "should not exist" there, but
/// its FHIRPath, which validators (the CRD kit's among them) evaluate, requires it whatever covered says), and — when the rules would
/// pend the request for documentation — doc-needed clinical with one detail per missing contract field naming where a
/// request carries it (docs/fhir-mapping.md), and, when the DTR questionnaire asks any of them, that questionnaire (its
/// canonical; crd-ci-q1: only with doc-needed). info-needed OTH accompanies any conditional answer (crd-ci-q3).
/// </summary>
public static class CoverageInformation
{
    public const string Url = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information";

    /// <summary>A copy of the draft order with one coverage-information extension describing the decision.</summary>
    /// <param name="billing">The order's HCPCS code that bills IVIG (<see cref="DraftIvigOrder.Billing"/>), when it has one.</param>
    /// <param name="questionnaire">The canonical of the DTR questionnaire that asks the missing documentation, when one does.</param>
    public static MedicationRequest Annotate(MedicationRequest draft, ResourceReference coverage, Decision decision, string assertionId, DateTimeOffset at,
        Coding? billing = null, string? questionnaire = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(decision);
        var covered = Covered(decision);
        return Annotated(draft, coverage, covered, paNeeded: true, decision.MissingDocumentation, Reason(decision), assertionId, at,
            billing, questionnaire);
    }

    /// <summary>
    /// A copy of the draft order whose request lacks facts the contract requires (<paramref name="missing"/>, contract paths):
    /// no decision can be made yet, so coverage is conditional, prior authorization needed, clinical documentation needed
    /// (one detail per missing field, as for a pended decision) and information needed — a CDS Hooks answer, never a refusal.
    /// </summary>
    public static MedicationRequest Incomplete(MedicationRequest draft, ResourceReference coverage, IReadOnlyList<string> missing, string assertionId,
        DateTimeOffset at, Coding? billing = null, string? questionnaire = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(missing);
        return Annotated(draft, coverage, "conditional", paNeeded: true, missing, "Not decided: the order's record lacks " + string.Join(", ", missing),
            assertionId, at, billing, questionnaire);
    }

    private static MedicationRequest Annotated(MedicationRequest draft, ResourceReference coverage, string covered, bool paNeeded,
        IReadOnlyCollection<string> missing, string reason, string assertionId, DateTimeOffset at, Coding? billing, string? questionnaire)
    {
        var information = new Extension { Url = Url };
        information.Extension.Add(new Extension("coverage", (ResourceReference)coverage.DeepCopy()));
        information.Extension.Add(new Extension("covered", new Code(covered)));
        if (paNeeded) information.Extension.Add(new Extension("pa-needed", new Code("auth-needed")));
        if (missing.Count > 0) information.Extension.Add(new Extension("doc-needed", new Code("clinical")));
        if (covered == "conditional") information.Extension.Add(new Extension("info-needed", new Code("OTH")));
        // The billing code is HCPCS (an RxNorm- or NDC-coded order carries none unless the EHR added it).
        if (billing is not null) information.Extension.Add(new Extension("billingCode", (Coding)billing.DeepCopy()));
        information.Extension.Add(new Extension("reason", new CodeableConcept { Text = reason }));
        foreach (var field in missing) information.Extension.Add(Detail(field));
        // crd-ci-q1: a questionnaire only where documentation is needed.
        if (missing.Count > 0 && questionnaire is not null) information.Extension.Add(new Extension("questionnaire", new Canonical(questionnaire)));
        information.Extension.Add(new Extension("date", new Date(FhirDates.Text(DateOnly.FromDateTime(at.UtcDateTime)))));
        information.Extension.Add(new Extension("coverage-assertion-id", new FhirString(assertionId)));

        var annotated = (MedicationRequest)draft.DeepCopy();
        annotated.Extension.RemoveAll(e => e.Url == Url);
        annotated.Extension.Add(information);
        return annotated;
    }

    public static string Covered(Decision decision) => decision.Outcome switch
    {
        Outcome.Approve => "covered",
        Outcome.Deny => "not-covered",
        _ => "conditional",
    };

    /// <summary>The contract paths the detail entries of a coverage-information extension name.</summary>
    public static IReadOnlyList<string> MissingFields(Extension information) =>
        information.Extension.Where(e => e.Url == "detail")
            .Select(d => d.GetExtensionValue<FhirString>("value")?.Value).OfType<string>().ToArray();

    private static string Reason(Decision decision) =>
        PasResponseWriter.Disposition(decision)
        + (decision.Reasons.Count > 0 ? ": " + string.Join("; ", decision.Reasons.Select(r => $"{r.Code} ({r.PolicyRef})")) : "");

    // code: the finding's own code (LOINC or mgauth-findings) where it is an Observation; value: the contract field;
    // qualification: where to send it.
    private static Extension Detail(string missing)
    {
        var detail = new Extension { Url = "detail" };
        var code = new CodeableConcept { Text = "Missing documentation: " + missing };
        if (ContractFieldMap.ObservationCode(missing) is { } coding) code.Coding.Add((Coding)coding.DeepCopy());
        detail.Extension.Add(new Extension("code", code));
        detail.Extension.Add(new Extension("value", new FhirString(missing)));
        if (ContractFieldMap.ForMissing(missing) is { } field)
            detail.Extension.Add(new Extension("qualification", new FhirString("Send it as " + ContractFieldMap.SendAs(field))));
        return detail;
    }
}
