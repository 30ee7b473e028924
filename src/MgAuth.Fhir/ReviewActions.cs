using Hl7.Fhir.Model;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;

namespace MgAuth.Fhir;

/// <summary>
/// The X12 278 codes of a decision: the 306 review action the domain already chose (<see cref="Decision.X12ReviewAction"/>)
/// and the 886 reason that goes with it.
/// </summary>
public static class ReviewActions
{
    public const string NotMedicallyNecessary = "0F";
    public const string ExceedsPlanMaximums = "0L";
    public const string NonCoveredService = "0M";
    public const string AdditionalPatientInformationRequired = "0U";
    public const string RequiresMedicalReview = "0V";

    private static readonly Dictionary<string, string> ActionDisplays = new()
    {
        [ReviewAction.CertifiedInTotal] = "Certified in total",
        [ReviewAction.NotCertified] = "Not Certified",
        [ReviewAction.Pended] = "Pended",
        [ReviewAction.Modified] = "Modified",
    };

    private static readonly Dictionary<string, string> ReasonDisplays = new()
    {
        [NotMedicallyNecessary] = "Not Medically Necessary",
        [ExceedsPlanMaximums] = "Exceeds Plan Maximums",
        [NonCoveredService] = "Non-covered Service",
        [AdditionalPatientInformationRequired] = "Additional Patient Information required",
        [RequiresMedicalReview] = "Requires Medical Review",
    };

    public static Coding Action(string x12) => ActionDisplays.TryGetValue(x12, out var display)
        ? new Coding(Systems.X12ReviewAction, x12, display)
        : throw new ArgumentException($"'{x12}' is not a review action MgAuth gives (A1, A3, A4, A6).", nameof(x12));

    public static Coding Reason(string x12) => new(Systems.X12ReviewDecisionReason, x12, ReasonDisplays[x12]);

    /// <summary>
    /// The 886 reason for a decision, or null where none is due: a final denial says whether the policy does not
    /// cover the service or the service is not medically necessary; a pend, whether information is missing or a
    /// clinician must review; a modified approval, that the plan's longest authorization period was exceeded.
    /// </summary>
    public static string? ReasonFor(Decision decision) => decision.X12ReviewAction switch
    {
        ReviewAction.NotCertified => decision.DenialKind == DenialKind.Administrative ? NonCoveredService : NotMedicallyNecessary,
        ReviewAction.Pended => decision.MissingDocumentation.Count > 0 ? AdditionalPatientInformationRequired : RequiresMedicalReview,
        ReviewAction.Modified when decision.Reasons.Any(r => r.Code == ReasonCodes.AuthorizationPeriodCapped) => ExceedsPlanMaximums,
        _ => null,
    };

    /// <summary>The PAS reviewAction extension of an item's adjudication.</summary>
    public static Extension Extension(string x12, string? number, string? reason)
    {
        var extension = new Extension { Url = PasExtensions.ReviewAction };
        extension.Extension.Add(new Extension(PasExtensions.ReviewActionCode, new CodeableConcept { Coding = [Action(x12)] }));
        if (number is not null) extension.Extension.Add(new Extension("number", new FhirString(number)));
        if (reason is not null) extension.Extension.Add(new Extension("reasonCode", new CodeableConcept { Coding = [Reason(reason)] }));
        return extension;
    }
}
