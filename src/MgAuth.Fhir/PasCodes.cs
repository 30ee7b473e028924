using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

/// <summary>The fixed codes of a PAS request for IVIG, shared by the writer and the reader.</summary>
internal static class PasCodes
{
    public static readonly Coding MemberNumber = new(Systems.IdentifierType, "MB", "Member Number");
    public static readonly Coding Professional = new(Systems.ClaimType, "professional", "Professional");
    public static readonly Coding MedicalCare = new(Systems.X12ServiceType, "1", "Medical Care");
    public static readonly Coding HealthServicesReview = new(Systems.X12RequestType, "HS", "Health Services Review");
    public static readonly Coding Initial = new(Systems.X12CertificationType, "I", "Initial");
    public static readonly Coding Renewal = new(Systems.X12CertificationType, "R", "Renewal");
    public static readonly Coding Plan = new(Systems.CoverageClass, "plan", "Plan");
    public static readonly Coding Prednisone = new(Systems.RxNorm, "8640", "prednisone");
    public static readonly Coding Self = new(Systems.SubscriberRelationship, "self", "Self");
    public static readonly Coding X12Self = new(Systems.X12IndividualRelationship, "18", "Self");
    public static readonly Coding OtherPlaceOfService = new(Systems.PlaceOfService, "99", "Other Place of Service");
    public static readonly Coding VitalSigns = new(Systems.ObservationCategory, "vital-signs", "Vital Signs");
    public static readonly Coding Exam = new(Systems.ObservationCategory, "exam", "Exam");

    public static Coding Priority(Domain.Requests.Urgency urgency) => urgency == Domain.Requests.Urgency.Expedited
        ? new Coding(Systems.ProcessPriority, "stat", "Immediate")
        : new Coding(Systems.ProcessPriority, "normal", "Normal");

    /// <summary>The contract urgency a Claim.priority code stands for; null for a code the contract has no word for.</summary>
    public static Domain.Requests.Urgency? UrgencyOf(string? code) => code switch
    {
        "stat" => Domain.Requests.Urgency.Expedited,
        "normal" or "deferred" => Domain.Requests.Urgency.Standard,
        _ => null,
    };

    /// <summary>How a MedicationStatement's status reads for each outcome of a prior therapy.</summary>
    public static MedicationStatement.MedicationStatusCodes StatusOf(TherapyOutcome outcome) => outcome switch
    {
        TherapyOutcome.Ongoing => MedicationStatement.MedicationStatusCodes.Active,
        TherapyOutcome.Effective => MedicationStatement.MedicationStatusCodes.Completed,
        TherapyOutcome.Contraindicated => MedicationStatement.MedicationStatusCodes.NotTaken,
        _ => MedicationStatement.MedicationStatusCodes.Stopped,
    };
}
