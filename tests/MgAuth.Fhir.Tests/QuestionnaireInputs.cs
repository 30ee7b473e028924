using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace MgAuth.Fhir.Tests;

/// <summary>$questionnaire-package input as an EHR sends it: the member's Coverage and the order (shared with the API tests).</summary>
public static class QuestionnaireInputs
{
    private static readonly FhirJsonSerializer Serializer = new();

    public static Coverage Coverage() => new()
    {
        Id = "cov1",
        Status = FinancialResourceStatusCodes.Active,
        Beneficiary = new ResourceReference("Patient/p1"),
        Payor = [new ResourceReference("Organization/payer")],
        SubscriberId = "M-1",
    };

    public static MedicationRequest IvigOrder(string system = "http://hl7.org/fhir/sid/ndc", string code = "44206-436-05") => new()
    {
        Id = "order1",
        Status = MedicationRequest.MedicationrequestStatus.Draft,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = new CodeableConcept(system, code),
        Subject = new ResourceReference("Patient/p1"),
        ReasonCode = [new CodeableConcept { Coding = [FindingCodes.Indications.Coding(Domain.Requests.Indication.Exacerbation)] }],
        DosageInstruction = [new Dosage { Timing = new Timing { Repeat = new Timing.RepeatComponent { Count = 5 } } }],
    };

    public static string Input(params (string Name, Resource Resource)[] parameters)
    {
        var input = new Parameters();
        foreach (var (name, resource) in parameters) input.Parameter.Add(new Parameters.ParameterComponent { Name = name, Resource = resource });
        return Serializer.SerializeToString(input);
    }
}
