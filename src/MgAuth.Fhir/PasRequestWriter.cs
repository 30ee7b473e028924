using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

/// <summary>
/// A contract request as a Da Vinci PAS request Bundle (docs/fhir-mapping.md): the Claim first, then the Patient,
/// the Coverage, the insurer and requester, the IVIG MedicationRequest the item asks for, and every clinical
/// finding as supportingInfo. The Bundle validates against PAS 2.2.1's request Bundle and Claim profiles and US Core:
/// what those require and the contract does not carry is not made up (the member's and the requester's names carry
/// the data-absent-reason extension, the place of service is POS 99, other); quantities are in X12 673 units.
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
        entries.Add("insurer", new Organization { Active = true, Name = InsurerName });
        if (request.Provider?.Npi is { } requester)
            entries.Add("requester", new Organization
            {
                Identifier = [new Identifier(Systems.Npi, requester)],
                Active = true,
                NameElement = new FhirString { Extension = [DataAbsent.Unknown] },
            });
        entries.Add("ivig", IvigOrder(request, patient, provider, timestamp));
        SupportingInfo.Add(request, claim, entries, patient, timestamp);

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
        // US Core asks for a name; the contract names the member by id only.
        Name = [new HumanName { Extension = [DataAbsent.Unknown] }],
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
            // The contract's member holds the coverage; PAS asks whose it is.
            Relationship = new CodeableConcept { Coding = [PasCodes.Self, PasCodes.X12Self] },
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
            // PAS asks where the service is given (a required code); the contract does not say.
            Location = new CodeableConcept { Coding = [PasCodes.OtherPlaceOfService], Text = "Place of service not given in the request" },
            Quantity = BillingUnits(regimen.GramsPerDay * regimen.InfusionDays * regimen.Cycles),
        };
        item.Extension.Add(new Extension(PasExtensions.ServiceItemRequestType, new CodeableConcept { Coding = [PasCodes.HealthServicesReview] }));
        item.Extension.Add(new Extension(PasExtensions.CertificationType,
            new CodeableConcept { Coding = [request.Continuation ? PasCodes.Renewal : PasCodes.Initial] }));
        item.Extension.Add(new Extension(PasExtensions.RequestedService, entries.Reference("ivig")));
        return item;
    }

    private static MedicationRequest IvigOrder(AuthorizationRequest request, ResourceReference patient, ResourceReference provider, DateTimeOffset written)
    {
        var regimen = request.Regimen;
        var order = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Coding = [IvigProducts.Hcpcs(regimen.Product)], Text = regimen.Product },
            Subject = patient,
            // CRD's order profile asks when the order was written: when the request is.
            AuthoredOn = new FhirDateTime(written).Value,
            Requester = provider,
            ReasonCode = [new CodeableConcept { Coding = [FindingCodes.Indications.Coding(request.Indication)] }],
            DosageInstruction =
            [
                new Dosage
                {
                    // One infusion a day, on infusionDays days from the start (Claim.item.servicedDate): one course.
                    // PAS's Timing allows no boundsPeriod.
                    Timing = new Timing
                    {
                        Repeat = new Timing.RepeatComponent
                        {
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

    /// <summary>
    /// Grams of immune globulin as PAS counts a service (its Quantity profile: X12 673 quantity qualifier, FL units):
    /// the HCPCS billing units, 500 mg each for every IVIG code.
    /// </summary>
    private const decimal UnitsPerGram = 2m;

    internal static Quantity BillingUnits(decimal grams) => new()
    {
        Value = grams * UnitsPerGram,
        Unit = "units of 500 mg",
        System = Systems.X12QuantityQualifier,
        Code = "FL",
    };
}
