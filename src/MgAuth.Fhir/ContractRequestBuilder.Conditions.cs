using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MgAuth.Domain.Terminology;

namespace MgAuth.Fhir;

/// <summary>
/// The EHR's problem list, allergies and procedures as contract facts: a Condition, AllergyIntolerance or Procedure
/// whose code is in a release value set sets the fact that value set stands for. A record the EHR marks refuted or
/// entered in error says nothing.
/// </summary>
internal sealed partial class ContractRequestBuilder
{
    // Facts a Condition sets to true; a history of thrombosis counts however resolved it is.
    private static readonly string[] ConditionFlags =
    [
        ContractFacts.HeartFailure, ContractFacts.ThromboembolicHistory, ContractFacts.DiabeticNephropathy,
        ContractFacts.Hyperprolinemia, ContractFacts.HereditaryFructoseIntolerance,
    ];

    private void Condition(Condition condition, string path)
    {
        if (Withdrawn(condition.VerificationStatus, Systems.ConditionVerification)) return;
        var over = condition.ClinicalStatus?.Coding.Any(c => c.System == Systems.ConditionClinical && c.Code is "inactive" or "resolved" or "remission") == true;
        foreach (var fact in ConditionFlags)
            if (terminology.Has(fact, condition.Code) && (!over || fact == ContractFacts.ThromboembolicHistory))
                Set(fact, true, path + ".code");
        if (over) return;
        // IgA deficiency alone; anti-IgA antibodies, which no diagnosis code says, keep the finding's stronger word.
        if (terminology.Has(ContractFacts.IgaDeficiency, condition.Code) && Clinical("igaStatus") is not "deficient_with_anti_iga")
            Set(ContractFacts.IgaDeficiency, "deficient", path + ".code");
        if (terminology.Has(ContractFacts.Myasthenia, condition.Code) && _request["diagnosis"]?["icd10"] is null
            && condition.Code?.Coding.FirstOrDefault(c => c.System == Systems.Icd10Cm)?.Code is { } icd10)
            Set(ContractFacts.Myasthenia, icd10, path + ".code");
    }

    // Anaphylaxis to immune globulin: an allergy to an IVIG product whose reaction was anaphylaxis, or that the EHR rates high criticality.
    private void Allergy(AllergyIntolerance allergy, string path)
    {
        if (Withdrawn(allergy.VerificationStatus, Systems.AllergyVerification) || !terminology.IsIvig(allergy.Code)) return;
        if (allergy.ClinicalStatus?.Coding.Any(c => c.Code is "inactive" or "resolved") == true) return;
        var anaphylaxis = allergy.Reaction.Any(r => r.Manifestation.Any(m => terminology.Has(ContractFacts.IgAnaphylaxis, m)));
        if (anaphylaxis || allergy.Criticality == AllergyIntolerance.AllergyIntoleranceCriticality.High)
            Set(ContractFacts.IgAnaphylaxis, true, path + (anaphylaxis ? ".reaction" : ".criticality"));
    }

    // Intubation and non-invasive ventilation under way now; a thymectomy in preparation is the planned surgery.
    private void Procedure(Procedure procedure, string path, Dictionary<string, string> seen)
    {
        if (procedure.Status == EventStatus.Preparation && terminology.Has(ContractFacts.PlannedSurgery, procedure.Code))
        {
            Once("plannedSurgery", path, seen, () => PlannedSurgery(procedure.Code, procedure.Performed, path));
            return;
        }
        var ongoing = procedure.Status == EventStatus.InProgress
            || (procedure.Status == EventStatus.Completed && procedure.Performed is Period { End: null });
        if (!ongoing) return;
        foreach (var fact in (string[])[ContractFacts.Intubated, ContractFacts.NonInvasiveVentilation])
            if (terminology.Has(fact, procedure.Code)) Set(fact, true, path + ".code");
    }

    private static bool Withdrawn(CodeableConcept? verification, string system) =>
        verification?.Coding.Any(c => c.System == system && c.Code is "refuted" or "entered-in-error") == true;

    private string? Clinical(string name) => (_request["clinical"] as JsonObject)?[name]?.GetValue<string>();
}
