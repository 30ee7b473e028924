using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

/// <summary>The clinical part of a request as Claim.supportingInfo: Observations, MedicationStatements, plans.</summary>
internal static class SupportingInfo
{
    /// <param name="recorded">When the request was written: the time the contract's findings are known as of.</param>
    public static void Add(AuthorizationRequest request, Claim claim, BundleEntries entries, ResourceReference patient, DateTimeOffset recorded)
    {
        void Attach(string category, string name, Resource resource) => claim.SupportingInfo.Add(new Claim.SupportingInformationComponent
        {
            Sequence = claim.SupportingInfo.Count + 1,
            Category = new CodeableConcept { Coding = [FindingCodes.Coding(category)] },
            Value = entries.Add(name, resource),
        });

        foreach (var field in ObservedFields.All)
            if (field.Read(request) is { } value)
                Attach(FindingCodes.ClinicalFinding, "observation/" + field.Path, Observation(field, value, patient, recorded));

        for (var i = 0; i < request.PriorTherapies.Count; i++)
            Attach(FindingCodes.PriorTherapy, $"prior-therapy/{i}", PriorTherapy(request.PriorTherapies[i], patient));
        for (var i = 0; i < request.PriorIvigCourses.Count; i++)
            Attach(FindingCodes.PriorIvigCourse, $"prior-ivig-course/{i}", PriorIvigCourse(request.PriorIvigCourses[i], patient));
        if (request.PlannedSurgery is { } surgery)
            Attach(FindingCodes.PlannedSurgery, "planned-surgery", PlannedSurgery(surgery, patient));
        if (request.PlannedCorticosteroid is { } steroid)
            Attach(FindingCodes.PlannedCorticosteroid, "planned-corticosteroid", PlannedCorticosteroid(steroid, patient));
    }

    private static Observation Observation(ObservedField field, object value, ResourceReference patient, DateTimeOffset recorded)
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Coding = [field.Code] },
            Subject = patient,
            // The contract holds each finding as current when the request is made; US Core asks when it held.
            Effective = new FhirDateTime(recorded),
            Value = field.Value.Write(value),
        };
        // US Core files every Observation under a category; a finding that is not a vital sign is filed as an exam's.
        observation.Category.Add(new CodeableConcept { Coding = [field.VitalSign ? PasCodes.VitalSigns : PasCodes.Exam] });
        return observation;
    }

    private static MedicationStatement PriorTherapy(PriorTherapyData therapy, ResourceReference patient)
    {
        var statement = new MedicationStatement
        {
            Status = PasCodes.StatusOf(therapy.Outcome),
            StatusReason = [new CodeableConcept { Coding = [FindingCodes.TherapyOutcomes.Coding(therapy.Outcome)] }],
            Medication = new CodeableConcept { Text = therapy.Agent },
            Subject = patient,
        };
        // How long it was taken: the contract knows the months, not the dates.
        if (therapy.Months is { } months)
            statement.Dosage.Add(new Dosage
            {
                Timing = new Timing
                {
                    Repeat = new Timing.RepeatComponent { Bounds = new Duration { Value = months, Unit = "mo", System = Systems.Ucum, Code = "mo" } },
                },
            });
        return statement;
    }

    private static MedicationStatement PriorIvigCourse(PriorIvigCourseData course, ResourceReference patient) => new()
    {
        Status = MedicationStatement.MedicationStatusCodes.Completed,
        Medication = new CodeableConcept { Coding = [IvigProducts.Hcpcs(null)] },
        Subject = patient,
        Effective = new Period { Start = FhirDates.Text(course.StartDate) },
        ReasonCode = [new CodeableConcept { Coding = [FindingCodes.Indications.Coding(course.Indication)] }],
    };

    private static ServiceRequest PlannedSurgery(PlannedSurgeryData surgery, ResourceReference patient) => new()
    {
        Status = RequestStatus.Active,
        Intent = RequestIntent.Plan,
        Code = new CodeableConcept { Text = surgery.Procedure },
        Subject = patient,
        Occurrence = surgery.Date is { } date ? FhirDates.DateTime(date) : null,
    };

    private static MedicationRequest PlannedCorticosteroid(PlannedCorticosteroidData steroid, ResourceReference patient) => new()
    {
        Status = MedicationRequest.MedicationrequestStatus.Active,
        Intent = MedicationRequest.MedicationRequestIntent.Plan,
        Medication = new CodeableConcept { Coding = [PasCodes.Prednisone] },
        Subject = patient,
        DosageInstruction =
        [
            new Dosage
            {
                Timing = new Timing { Repeat = new Timing.RepeatComponent { Bounds = new Period { Start = FhirDates.Text(steroid.StartDate) } } },
                DoseAndRate =
                [
                    new Dosage.DoseAndRateComponent
                    {
                        Dose = new Quantity { Value = steroid.PrednisoneMgPerKgPerDay, Unit = "mg/kg/d", System = Systems.Ucum, Code = "mg/kg/d" },
                    },
                ],
            },
        ],
    };
}
