using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

/// <summary>
/// A contract request as a Da Vinci PAS request Bundle (docs/fhir-mapping.md): the Claim first, then the Patient,
/// the Coverage, the insurer and requester, the IVIG MedicationRequest the item asks for, and every clinical
/// finding as supportingInfo. The Bundle is valid core R4; it follows the PAS structure but claims no PAS profile,
/// since the contract does not carry what US Core asks of a Patient (a name).
/// </summary>
public static class PasRequestWriter
{
    public const string InsurerName = "MgAuth health plan";

    public static Bundle Write(AuthorizationRequest request, DateTimeOffset timestamp) => Write(request, timestamp, Guid.NewGuid());

    public static Bundle Write(AuthorizationRequest request, DateTimeOffset timestamp, Guid bundleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entries = new BundleEntries(bundleId);
        var patient = entries.Reference("patient");
        var insurer = entries.Reference("insurer");
        var provider = request.Provider?.Npi is { } npi ? entries.Reference("requester") : new ResourceReference { Display = "Requesting provider (no NPI given)" };

        var claim = new Claim
        {
            Identifier = [new Identifier("urn:ietf:rfc:3986", entries.FullUrl("claim"))],
            Status = FinancialResourceStatusCodes.Active,
            Type = new CodeableConcept { Coding = [PasCodes.Professional] },
            Use = ClaimUseCode.Preauthorization,
            Patient = patient,
            Created = new FhirDateTime(timestamp).Value,
            Insurer = insurer,
            Provider = provider,
            Priority = new CodeableConcept { Coding = [PasCodes.Priority(request.Urgency)] },
            Insurance = [new Claim.InsuranceComponent { Sequence = 1, Focal = true, Coverage = entries.Reference("coverage") }],
            Diagnosis =
            [
                new Claim.DiagnosisComponent
                {
                    Sequence = 1,
                    Diagnosis = new CodeableConcept { Coding = [new Coding(Systems.Icd10Cm, request.Diagnosis.Icd10)] },
                },
            ],
            Item = [Item(request, entries)],
        };
        entries.Add("claim", claim);
        entries.Add("patient", Patient(request.Member));
        entries.Add("coverage", Coverage(request, patient, insurer));
        entries.Add("insurer", new Organization { Name = InsurerName });
        if (request.Provider?.Npi is { } requester)
            entries.Add("requester", new Organization { Identifier = [new Identifier(Systems.Npi, requester)] });
        entries.Add("ivig", IvigOrder(request, patient, provider));
        SupportingInfo.Add(request, claim, entries, patient);

        return new Bundle
        {
            Id = bundleId.ToString("D"),
            Identifier = new Identifier("urn:ietf:rfc:3986", "urn:uuid:" + bundleId.ToString("D")),
            Type = Bundle.BundleType.Collection,
            Timestamp = timestamp,
            Entry = entries.ToList(),
        };
    }

    private static Patient Patient(MemberData member) => new()
    {
        Identifier = [MemberIdentifier(member.Id)],
        Gender = member.Sex switch
        {
            Sex.Female => AdministrativeGender.Female,
            Sex.Male => AdministrativeGender.Male,
            Sex.Other => AdministrativeGender.Other,
            _ => AdministrativeGender.Unknown,
        },
        BirthDate = FhirDates.Text(member.BirthDate),
    };

    private static Identifier MemberIdentifier(string id) => new(Systems.MemberId, id) { Type = new CodeableConcept { Coding = [PasCodes.MemberNumber] } };

    private static Coverage Coverage(AuthorizationRequest request, ResourceReference patient, ResourceReference insurer)
    {
        var coverage = new Coverage
        {
            Identifier = [MemberIdentifier(request.Member.Id)],
            Status = FinancialResourceStatusCodes.Active,
            Beneficiary = patient,
            Payor = [insurer],
        };
        // The policy the plan applies to this member's IVIG requests.
        if (request.PolicyId is { } policy)
            coverage.Class.Add(new Coverage.ClassComponent { Type = new CodeableConcept { Coding = [PasCodes.Plan] }, Value = policy });
        return coverage;
    }

    private static Claim.ItemComponent Item(AuthorizationRequest request, BundleEntries entries)
    {
        var regimen = request.Regimen;
        var item = new Claim.ItemComponent
        {
            Sequence = 1,
            DiagnosisSequence = [1],
            Category = new CodeableConcept { Coding = [PasCodes.MedicalCare] },
            ProductOrService = new CodeableConcept { Coding = [IvigProducts.Hcpcs(regimen.Product)], Text = regimen.Product },
            Serviced = FhirDates.Date(regimen.StartDate),
            Quantity = Grams(regimen.GramsPerDay * regimen.InfusionDays * regimen.Cycles),
        };
        item.Extension.Add(new Extension(PasExtensions.ServiceItemRequestType, new CodeableConcept { Coding = [PasCodes.HealthServicesReview] }));
        item.Extension.Add(new Extension(PasExtensions.CertificationType,
            new CodeableConcept { Coding = [request.Continuation ? PasCodes.Renewal : PasCodes.Initial] }));
        item.Extension.Add(new Extension(PasExtensions.RequestedService, entries.Reference("ivig")));
        return item;
    }

    private static MedicationRequest IvigOrder(AuthorizationRequest request, ResourceReference patient, ResourceReference provider)
    {
        var regimen = request.Regimen;
        var order = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Coding = [IvigProducts.Hcpcs(regimen.Product)], Text = regimen.Product },
            Subject = patient,
            Requester = provider,
            ReasonCode = [new CodeableConcept { Coding = [FindingCodes.Indications.Coding(request.Indication)] }],
            DosageInstruction =
            [
                new Dosage
                {
                    // One infusion a day, on infusionDays days from the start: one course.
                    Timing = new Timing
                    {
                        Repeat = new Timing.RepeatComponent
                        {
                            Bounds = new Period { Start = FhirDates.Text(regimen.StartDate) },
                            Count = regimen.InfusionDays,
                            Frequency = 1,
                            Period = 1,
                            PeriodUnit = Timing.UnitsOfTime.D,
                        },
                    },
                    DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = Grams(regimen.GramsPerDay) }],
                },
            ],
            // Each further course is a repeat of the first, intervalDays after the one before.
            DispenseRequest = new MedicationRequest.DispenseRequestComponent { NumberOfRepeatsAllowed = regimen.Cycles - 1 },
        };
        if (regimen.IntervalDays is { } interval)
            order.DispenseRequest.DispenseInterval = new Duration { Value = interval, Unit = "d", System = Systems.Ucum, Code = "d" };
        return order;
    }

    internal static Quantity Grams(decimal grams) => new() { Value = grams, Unit = "g", System = Systems.Ucum, Code = "g" };
}
