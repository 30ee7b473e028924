using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>One row of the mapping: a contract field, where a PAS request Bundle carries it, and with which code.</summary>
public sealed record ContractField(string Path, string Fhir, string Code);

/// <summary>
/// The documented mapping, contract field ← FHIR path and code: the table in docs/fhir-mapping.md is this
/// list, and a pended response names these places for the documentation it is missing.
/// </summary>
public static partial class ContractFieldMap
{
    private const string Mg = "mgauth-findings#";
    private const string Order = "MedicationRequest (IVIG, Claim.item.extension[requestedService])";
    private const string Info = "Claim.supportingInfo.valueReference →";

    public static IReadOnlyList<ContractField> All { get; } = Build();

    /// <summary>The row for a contract path the rules name (a field, or a group such as <c>plannedSurgery</c>).</summary>
    public static ContractField? Find(string path) => All.FirstOrDefault(f => f.Path == path);

    /// <summary>The row for a path a decision names as missing documentation (<c>priorTherapies[1].months</c> is <c>priorTherapies[].months</c>).</summary>
    public static ContractField? ForMissing(string path) => Find(ListIndex().Replace(path, "[]"));

    /// <summary>The code an Observation carries a contract field under (LOINC or mgauth-findings); null for a field that is not an Observation.</summary>
    public static Coding? ObservationCode(string path) => ObservedFields.All.FirstOrDefault(f => f.Path == path)?.Code;

    /// <summary>"Send it as …": where a request carries the field, and with which code.</summary>
    public static string SendAs(ContractField field) => field.Fhir + (field.Code.Length > 0 ? $" ({field.Code})" : "");

    // The mapping names list items as priorTherapies[].agent; a missing path names one item.
    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex ListIndex();

    private static ContractField[] Build()
    {
        var observed = ObservedFields.All.ToDictionary(f => f.Path, f =>
            new ContractField(f.Path, $"{Info} Observation.{f.Value.Describe()}",
                (f.Code.System == FindingCodes.System ? Mg : f.Code.System == Systems.Loinc ? "LOINC " : f.Code.System + "#") + f.Code.Code
                + (f.AlsoAccepted.Count > 0 ? " (also read: " + string.Join(", ", f.AlsoAccepted.Select(a => a.Code)) + ")" : "")));
        ContractField O(string path) => observed[path];

        return
        [
            new("policyId", "the plan table (configuration Plans:Policies) for Coverage (focal).class[type = plan].value; a plan it does not name: the default policy", "coverage-class#plan"),
            new("urgency", "Claim.priority (stat → expedited; normal, deferred → standard)", "processpriority#stat | #normal"),
            new("indication", $"{Order}.reasonCode", Mg + "indication-*"),
            new("continuation", "Claim.item.extension[certificationType] (R → true, I → false)", "X12 1322 R | I"),
            new("member.id", "Coverage (focal).identifier[type = MB].value, else Coverage.subscriberId, else Patient.identifier[type = MB]", "v2-0203#MB"),
            new("member.birthDate", "Patient (Claim.patient).birthDate", ""),
            new("member.sex", "Patient.gender (the same four words)", "administrative-gender"),
            O("member.weightKg"),
            O("member.heightCm"),
            new("provider.npi", "Claim.provider → Organization | Practitioner | PractitionerRole (its own, its practitioner's or its organization's).identifier", "us-npi"),
            new("diagnosis.icd10", "Claim.diagnosis (lowest sequence with an ICD-10-CM code).diagnosisCodeableConcept, or its Condition.code", "ICD-10-CM"),
            O("diagnosis.mgfaClass"),
            O("diagnosis.achrAntibody"),
            O("diagnosis.muskAntibody"),
            O("diagnosis.lrp4Antibody"),
            O("diagnosis.electrodiagnostics"),
            new("diagnosis.confirmation", "any of the antibody or electrodiagnostics Observations above", Mg + "achr-antibody | musk-antibody | lrp4-antibody | electrodiagnostics"),
            O("clinical.mgAdl.current"),
            O("clinical.mgAdl.baseline"),
            O("clinical.qmg.current"),
            O("clinical.qmg.baseline"),
            O("clinical.bulbarDysfunction"),
            O("clinical.respiratory.intubated"),
            O("clinical.respiratory.nonInvasiveVentilation"),
            O("clinical.respiratory.fvcMlPerKg"),
            O("clinical.egfr"),
            O("clinical.diabeticNephropathy"),
            O("clinical.igaStatus"),
            O("clinical.thromboembolicHistory"),
            O("clinical.heartFailure"),
            O("clinical.priorIgAnaphylaxis"),
            O("clinical.hyperprolinemia"),
            O("clinical.hereditaryFructoseIntolerance"),
            O("clinical.immunosuppressantsContraindicated"),
            new("regimen.product", $"the formulary product {Order}.medicationCodeableConcept or Claim.item.productOrService codes (value sets ivig-product-*), else {Order}.medicationCodeableConcept.text", "HCPCS, NDC, RxNorm"),
            new("regimen.gramsPerDay", $"{Order}.dosageInstruction[0].doseAndRate[0].doseQuantity", "UCUM g (mg read)"),
            new("regimen.infusionDays", $"{Order}.dosageInstruction[0].timing.repeat.count (once a day)", ""),
            new("regimen.cycles", $"{Order}.dispenseRequest.numberOfRepeatsAllowed + 1", ""),
            new("regimen.intervalDays", $"{Order}.dispenseRequest.dispenseInterval", "UCUM d (wk read)"),
            new("regimen.startDate", $"{Order}.dosageInstruction[0].timing.repeat.boundsPeriod.start, else Claim.item.servicedDate | servicedPeriod.start", ""),
            new("plannedSurgery", $"{Info} ServiceRequest (intent plan)", Mg + "planned-surgery (category)"),
            new("plannedSurgery.procedure", "ServiceRequest.code.text (else a coding's display)", ""),
            new("plannedSurgery.date", "ServiceRequest.occurrenceDateTime | occurrencePeriod.start", ""),
            new("plannedCorticosteroid", $"{Info} MedicationRequest (intent plan, a corticosteroid of the value set corticosteroids)", Mg + "planned-corticosteroid (category); RxNorm 8640 prednisone"),
            new("plannedCorticosteroid.startDate", "MedicationRequest.dosageInstruction[0].timing.repeat.boundsPeriod.start", ""),
            new("plannedCorticosteroid.prednisoneMgPerKgPerDay", "MedicationRequest.dosageInstruction[0].doseAndRate[0].doseQuantity", "UCUM mg/kg/d"),
            new("priorTherapies[]", $"{Info} MedicationStatement (medication not IVIG) | MedicationRequest (not intent plan for a corticosteroid, not IVIG)", Mg + "prior-therapy (category)"),
            new("priorTherapies[].agent", "the agent its RxNorm ingredient names (value sets agent-*), else .medicationCodeableConcept.text (else a coding's display)", "RxNorm"),
            new("priorTherapies[].months", "MedicationStatement.dosage[0].timing.repeat.boundsDuration, else .effectivePeriod; MedicationRequest.dispenseRequest.validityPeriod, else expectedSupplyDuration × (numberOfRepeatsAllowed + 1)", "UCUM mo (a read)"),
            new("priorTherapies[].outcome", "MedicationStatement.statusReason (status follows: active, completed, not-taken, stopped)", Mg + "therapy-outcome-*"),
            new("priorIvigCourses[]", $"{Info} MedicationStatement (medication an IVIG HCPCS code)", Mg + "prior-ivig-course (category)"),
            new("priorIvigCourses[].startDate", "MedicationStatement.effectivePeriod.start | effectiveDateTime", ""),
            new("priorIvigCourses[].indication", "MedicationStatement.reasonCode", Mg + "indication-*"),
            new("priorIvigResponse", "the four prior-IVIG score Observations below", Mg + "prior-ivig-*"),
            O("priorIvigResponse.mgAdlBefore"),
            O("priorIvigResponse.mgAdlAfter"),
            O("priorIvigResponse.qmgBefore"),
            O("priorIvigResponse.qmgAfter"),
        ];
    }

    /// <summary>The mapping as the markdown table docs/fhir-mapping.md holds.</summary>
    public static string Markdown()
    {
        var table = new StringBuilder();
        table.Append("| contract field | FHIR (PAS request Bundle) | code |\n| --- | --- | --- |\n");
        foreach (var field in All)
            table.Append($"| `{field.Path}` | {field.Fhir.Replace("|", "\\|")} | {Cell(field.Code)} |\n");
        return table.ToString();
    }

    private static string Cell(string code) => code.Length == 0 ? "" : "`" + code.Replace("|", "\\|") + "`";
}
