using System.Text;
using MgAuth.Domain.Terminology;

namespace MgAuth.Fhir;

/// <summary>
/// The contract facts the reader takes from standard resources and codes, each with the FHIR path it reads and the
/// release value sets that name its codes: the second table of docs/fhir-mapping.md, generated from the value sets.
/// </summary>
public static class StandardCodeMap
{
    private const string Conditions = "Condition.code (verificationStatus not refuted or entered-in-error; clinicalStatus not inactive, resolved or remission)";

    /// <summary>For each fact a value set may stand for: the contract field it sets and where in the Bundle the reader looks.</summary>
    public static IReadOnlyList<(string Fact, string Field, string Fhir)> Facts { get; } =
    [
        (ContractFacts.IvigProduct, "regimen.product = the set's title", "MedicationRequest (requested service).medicationCodeableConcept.coding, else Claim.item.productOrService.coding; text only when no code names a product"),
        (ContractFacts.IvigBilling, "(IVIG; the product from another coding or the text)", "Claim.item.productOrService.coding, MedicationRequest.medicationCodeableConcept.coding"),
        (ContractFacts.IvigAdministration, "(decided with the IVIG item; follows its decision)", "Claim.item.productOrService.coding of the other lines"),
        (ContractFacts.Myasthenia, "diagnosis.icd10 (when Claim.diagnosis has no ICD-10-CM code)", Conditions),
        (ContractFacts.AchrAntibody, "diagnosis.achrAntibody", "Observation.interpretation (POS, H, HH, A, AA, DET → positive; NEG, N, ND → negative), else valueQuantity against referenceRange.high (same unit)"),
        (ContractFacts.WeightKg, "member.weightKg", "Observation.valueQuantity (UCUM kg; g, [lb_av] converted)"),
        (ContractFacts.HeightCm, "member.heightCm", "Observation.valueQuantity (UCUM cm; m, [in_i] converted)"),
        (ContractFacts.Egfr, "clinical.egfr", "Observation.valueQuantity (UCUM mL/min/{1.73_m2})"),
        (ContractFacts.Fvc, "clinical.respiratory.fvcMlPerKg", "Observation.valueQuantity (UCUM mL; L, dL converted) ÷ member.weightKg, to 0.1"),
        (ContractFacts.Intubated, "clinical.respiratory.intubated", "Procedure.code (status in-progress, or completed with a performedPeriod still open)"),
        (ContractFacts.NonInvasiveVentilation, "clinical.respiratory.nonInvasiveVentilation", "Procedure.code (status in-progress, or completed with a performedPeriod still open)"),
        (ContractFacts.HeartFailure, "clinical.heartFailure", Conditions),
        (ContractFacts.IgaDeficiency, "clinical.igaStatus = deficient (a finding's deficient_with_anti_iga stays)", Conditions),
        (ContractFacts.ThromboembolicHistory, "clinical.thromboembolicHistory", "Condition.code (verificationStatus not refuted or entered-in-error; resolved counts: it is history)"),
        (ContractFacts.DiabeticNephropathy, "clinical.diabeticNephropathy", Conditions),
        (ContractFacts.Hyperprolinemia, "clinical.hyperprolinemia", Conditions),
        (ContractFacts.HereditaryFructoseIntolerance, "clinical.hereditaryFructoseIntolerance", Conditions),
        (ContractFacts.IgAnaphylaxis, "clinical.priorIgAnaphylaxis", "AllergyIntolerance.code in an IVIG set above, with reaction.manifestation in this set or criticality high (not refuted, entered-in-error, inactive or resolved)"),
        (ContractFacts.PlannedSurgery, "plannedSurgery (procedure = the set's title, lower case)", "ServiceRequest.code (not revoked or entered-in-error), Procedure.code (status preparation); date from occurrence | performed"),
        (ContractFacts.PlannedCorticosteroid, "plannedCorticosteroid", "MedicationRequest.medicationCodeableConcept with intent plan (any other MedicationRequest is a prior therapy)"),
        (ContractFacts.TherapyAgent, "priorTherapies[].agent = the set's title", "MedicationRequest | MedicationStatement .medicationCodeableConcept; months from dispenseRequest.validityPeriod, expectedSupplyDuration × (numberOfRepeatsAllowed + 1) or effectivePeriod; outcome from statusReason (mgauth-findings#therapy-outcome-*), else ongoing when active"),
    ];

    /// <summary>The table as docs/fhir-mapping.md holds it: one row per value set of the release.</summary>
    public static string Markdown(ValueSets? terminology = null)
    {
        var library = (terminology ?? ValueSets.Shipped).Library;
        var table = new StringBuilder();
        table.Append("| contract field | FHIR | value set (version) | codes |\n| --- | --- | --- | --- |\n");
        foreach (var (fact, field, fhir) in Facts)
            foreach (var set in library.For(fact))
            {
                var codes = string.Join("; ", set.Concepts.GroupBy(c => (c.System, c.SystemVersion))
                    .Select(g => $"{Name(g.Key.System)} {g.Key.SystemVersion}: {string.Join(", ", g.Select(c => c.Code))}"));
                table.Append($"| `{field}` | {Cell(fhir)} | [{set.Title}]({set.Url}) ({set.Version}) | {Cell(codes)} |\n");
            }
        return table.ToString();
    }

    private static string Name(string system) => system switch
    {
        Systems.Hcpcs => "HCPCS",
        Systems.Ndc => "NDC",
        Systems.RxNorm => "RxNorm",
        Systems.Snomed => "SNOMED CT",
        Systems.Icd10Cm => "ICD-10-CM",
        Systems.Loinc => "LOINC",
        Systems.Cpt => "CPT",
        _ => system,
    };

    private static string Cell(string text) => text.Replace("|", "\\|");
}
