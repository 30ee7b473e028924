namespace MgAuth.Domain.Decisions;

/// <summary>The closed set of reason codes (§3–§5 of the policy). A new code is a policy change.</summary>
public static class ReasonCodes
{
    public const string DiagnosisNotCovered = "DIAGNOSIS_NOT_COVERED";
    public const string DiagnosisCovered = "DIAGNOSIS_COVERED";
    public const string DiagnosisConfirmed = "DIAGNOSIS_CONFIRMED";
    public const string DiagnosisUnconfirmed = "DIAGNOSIS_UNCONFIRMED";
    public const string DocumentationMissing = "DOCUMENTATION_MISSING";
    public const string OcularMgNotCovered = "OCULAR_MG_NOT_COVERED";
    public const string PediatricRequest = "PEDIATRIC_REQUEST";

    public const string DoseWithinCourseCeiling = "DOSE_WITHIN_COURSE_CEILING";
    public const string DoseAboveCourseCeiling = "DOSE_ABOVE_COURSE_CEILING";
    public const string DailyDoseAboveCeiling = "DAILY_DOSE_ABOVE_CEILING";
    public const string NonstandardCourseLength = "NONSTANDARD_COURSE_LENGTH";
    public const string RenalImpairmentSevere = "RENAL_IMPAIRMENT_SEVERE";
    public const string AdvRenalRisk = "ADV_RENAL_RISK";
    public const string IgaDeficiencyWithAntiIga = "IGA_DEFICIENCY_WITH_ANTI_IGA";
    public const string AdvIgaDeficiency = "ADV_IGA_DEFICIENCY";
    public const string PriorIgAnaphylaxis = "PRIOR_IG_ANAPHYLAXIS";
    public const string AdvThrombosisRisk = "ADV_THROMBOSIS_RISK";
    public const string AdvVolumeOverloadRisk = "ADV_VOLUME_OVERLOAD_RISK";
    public const string ProductNotOnFormulary = "PRODUCT_NOT_ON_FORMULARY";
    public const string ProductContraindicated = "PRODUCT_CONTRAINDICATED";
    public const string RecurrentAcuteCourses = "RECURRENT_ACUTE_COURSES";
    public const string OverlappingAuthorization = "OVERLAPPING_AUTHORIZATION";
    public const string AuthorizationHeldElsewhere = "AUTHORIZATION_HELD_ELSEWHERE";

    public const string RepeatCoursesRequested = "REPEAT_COURSES_REQUESTED";
    public const string IndicationExacerbationMet = "INDICATION_EXACERBATION_MET";
    public const string MildMgEfficacyUncertain = "MILD_MG_EFFICACY_UNCERTAIN";
    public const string NoDocumentedWorsening = "NO_DOCUMENTED_WORSENING";
    public const string IndicationCrisisMet = "INDICATION_CRISIS_MET";
    public const string CrisisNotSubstantiated = "CRISIS_NOT_SUBSTANTIATED";
    public const string NonThymectomySurgery = "NON_THYMECTOMY_SURGERY";
    public const string SurgeryTimingOutsideWindow = "SURGERY_TIMING_OUTSIDE_WINDOW";
    public const string IndicationPreThymectomyMet = "INDICATION_PRE_THYMECTOMY_MET";
    public const string PreopCriteriaNotMet = "PREOP_CRITERIA_NOT_MET";
    public const string BridgingNotFirstSteroidCourse = "BRIDGING_NOT_FIRST_STEROID_COURSE";
    public const string BridgingLowSteroidDose = "BRIDGING_LOW_STEROID_DOSE";
    public const string SteroidStartOutsideWindow = "STEROID_START_OUTSIDE_WINDOW";
    public const string IndicationBridgingMet = "INDICATION_BRIDGING_MET";
    public const string BridgingLowRisk = "BRIDGING_LOW_RISK";
    public const string IndicationRefractoryMaintenanceMet = "INDICATION_REFRACTORY_MAINTENANCE_MET";
    public const string RefractoryCriteriaNotMet = "REFRACTORY_CRITERIA_NOT_MET";
    public const string ContinuationResponseDocumented = "CONTINUATION_RESPONSE_DOCUMENTED";
    public const string NoDocumentedResponse = "NO_DOCUMENTED_RESPONSE";
    public const string DoseWithinMaintenanceCeiling = "DOSE_WITHIN_MAINTENANCE_CEILING";
    public const string DoseAboveMaintenanceCeiling = "DOSE_ABOVE_MAINTENANCE_CEILING";
    public const string AuthorizationPeriodCapped = "AUTHORIZATION_PERIOD_CAPPED";
    public const string ChronicMaintenanceNotCovered = "CHRONIC_MAINTENANCE_NOT_COVERED";

    public static IReadOnlyList<string> All { get; } = typeof(ReasonCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    /// <summary>
    /// Codes added after policy versions were first stored: a version stored before them (replayed, explained) may lack
    /// them, and then cannot give that reason (FactBuilder adds no fact that would call for it; a rule that tries anyway
    /// fails the decision by name). Every other code is required.
    /// </summary>
    public static IReadOnlySet<string> AddedLater { get; } = new HashSet<string>(StringComparer.Ordinal) { AuthorizationHeldElsewhere };
}
