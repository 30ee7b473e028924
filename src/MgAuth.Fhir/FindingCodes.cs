using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

/// <summary>
/// MgAuth's own code system: the MG findings the policy reads (as Observation codes), the kinds of
/// supporting information a request carries (as <c>Claim.supportingInfo.category</c>) and the values of the
/// contract's enums that no standard terminology names exactly.
/// </summary>
public static class FindingCodes
{
    public const string System = "http://mgauth.example/fhir/CodeSystem/mgauth-findings";

    // Observation codes.
    public const string MgfaClass = "mgfa-class";
    public const string AchrAntibody = "achr-antibody";
    public const string MuskAntibody = "musk-antibody";
    public const string Lrp4Antibody = "lrp4-antibody";
    public const string Electrodiagnostics = "electrodiagnostics";
    public const string MgAdl = "mg-adl";
    public const string MgAdlBaseline = "mg-adl-baseline";
    public const string Qmg = "qmg";
    public const string QmgBaseline = "qmg-baseline";
    public const string BulbarDysfunction = "bulbar-dysfunction";
    public const string Intubated = "intubated";
    public const string NonInvasiveVentilation = "non-invasive-ventilation";
    public const string FvcPerKg = "fvc-per-kg";
    public const string DiabeticNephropathy = "diabetic-nephropathy";
    public const string IgaStatus = "iga-status";
    public const string ThromboembolicHistory = "thromboembolic-history";
    public const string HeartFailure = "heart-failure";
    public const string PriorIgAnaphylaxis = "prior-ig-anaphylaxis";
    public const string Hyperprolinemia = "hyperprolinemia";
    public const string HereditaryFructoseIntolerance = "hereditary-fructose-intolerance";
    public const string ImmunosuppressantsContraindicated = "immunosuppressants-contraindicated";
    public const string PriorIvigMgAdlBefore = "prior-ivig-mg-adl-before";
    public const string PriorIvigMgAdlAfter = "prior-ivig-mg-adl-after";
    public const string PriorIvigQmgBefore = "prior-ivig-qmg-before";
    public const string PriorIvigQmgAfter = "prior-ivig-qmg-after";

    // Questionnaire item codes (the DTR questionnaire's questions no standard code names).
    public const string IndicationQuestion = "indication";
    public const string InfusionDays = "infusion-days";
    public const string TherapyAgent = "therapy-agent";
    public const string TherapyOutcomeQuestion = "therapy-outcome";
    public const string TherapyMonths = "therapy-months";
    public const string MgAdlTalking = "mg-adl-talking";
    public const string MgAdlChewing = "mg-adl-chewing";
    public const string MgAdlSwallowing = "mg-adl-swallowing";
    public const string MgAdlBreathing = "mg-adl-breathing";
    public const string MgAdlGrooming = "mg-adl-brushing-teeth-or-combing-hair";
    public const string MgAdlArising = "mg-adl-arising-from-chair";
    public const string MgAdlDoubleVision = "mg-adl-double-vision";
    public const string MgAdlEyelidDroop = "mg-adl-eyelid-droop";

    // Claim.supportingInfo.category codes.
    public const string ClinicalFinding = "clinical-finding";
    public const string PriorTherapy = "prior-therapy";
    public const string PriorIvigCourse = "prior-ivig-course";
    public const string PlannedSurgery = "planned-surgery";
    public const string PlannedCorticosteroid = "planned-corticosteroid";

    // Values of contract enums.
    public static ValueCodes<Indication> Indications { get; } = new("indication", "IVIG indication");
    public static ValueCodes<MgfaClass> MgfaClasses { get; } = new(MgfaClass, "MGFA class");
    public static ValueCodes<Domain.Requests.Electrodiagnostics> ElectrodiagnosticResults { get; } = new(Electrodiagnostics, "Electrodiagnostics");
    public static ValueCodes<Domain.Requests.IgaStatus> IgaStatuses { get; } = new(IgaStatus, "IgA status");
    public static ValueCodes<TherapyOutcome> TherapyOutcomes { get; } = new("therapy-outcome", "Therapy outcome");

    private static readonly (string Code, string Display, string Definition)[] Concepts =
    [
        (MgfaClass, "MGFA clinical class", "Myasthenia Gravis Foundation of America clinical classification; value: an mgfa-class-* code."),
        (AchrAntibody, "Acetylcholine receptor antibody", "Anti-AChR antibody result; value: SNOMED CT 10828004 positive or 260385009 negative."),
        (MuskAntibody, "MuSK antibody", "Anti-MuSK antibody result; value: SNOMED CT 10828004 positive or 260385009 negative."),
        (Lrp4Antibody, "LRP4 antibody", "Anti-LRP4 antibody result; value: SNOMED CT 10828004 positive or 260385009 negative."),
        (Electrodiagnostics, "MG electrodiagnostics", "Repetitive nerve stimulation or single-fibre EMG; value: an electrodiagnostics-* code."),
        (MgAdl, "MG-ADL score, current", "Myasthenia Gravis Activities of Daily Living score now (0-24); valueInteger."),
        (MgAdlBaseline, "MG-ADL score, baseline", "MG-ADL score at the member's usual state (0-24); valueInteger."),
        (Qmg, "QMG score, current", "Quantitative Myasthenia Gravis score now (0-39); valueInteger."),
        (QmgBaseline, "QMG score, baseline", "QMG score at the member's usual state (0-39); valueInteger."),
        (BulbarDysfunction, "Bulbar dysfunction", "Dysphagia, dysarthria or other bulbar weakness; valueBoolean."),
        (Intubated, "Intubated", "The member is intubated for respiratory failure; valueBoolean."),
        (NonInvasiveVentilation, "Non-invasive ventilation", "The member needs non-invasive ventilation; valueBoolean."),
        (FvcPerKg, "Forced vital capacity per kg", "Forced vital capacity per kg of body weight; valueQuantity in mL/kg."),
        (DiabeticNephropathy, "Diabetic nephropathy", "The member has diabetic nephropathy; valueBoolean."),
        (IgaStatus, "IgA status", "Serum IgA and anti-IgA antibodies; value: an iga-status-* code."),
        (ThromboembolicHistory, "Thromboembolic history", "History of thrombosis or embolism; valueBoolean."),
        (HeartFailure, "Heart failure", "The member has heart failure; valueBoolean."),
        (PriorIgAnaphylaxis, "Prior immune globulin anaphylaxis", "Anaphylaxis to an immune globulin product before; valueBoolean."),
        (Hyperprolinemia, "Hyperprolinemia", "The member has hyperprolinemia; valueBoolean."),
        (HereditaryFructoseIntolerance, "Hereditary fructose intolerance", "The member has hereditary fructose intolerance; valueBoolean."),
        (ImmunosuppressantsContraindicated, "Immunosuppressants contraindicated", "Immunosuppressive therapy is contraindicated for the member; valueBoolean."),
        (PriorIvigMgAdlBefore, "MG-ADL before the prior IVIG course", "MG-ADL score before the last IVIG course (0-24); valueInteger."),
        (PriorIvigMgAdlAfter, "MG-ADL after the prior IVIG course", "MG-ADL score after the last IVIG course (0-24); valueInteger."),
        (PriorIvigQmgBefore, "QMG before the prior IVIG course", "QMG score before the last IVIG course (0-39); valueInteger."),
        (PriorIvigQmgAfter, "QMG after the prior IVIG course", "QMG score after the last IVIG course (0-39); valueInteger."),
        (IndicationQuestion, "IVIG indication", "Why IVIG is requested; value: an indication-* code."),
        (InfusionDays, "Infusion days per course", "Days over which one IVIG course is infused; valueInteger."),
        (TherapyAgent, "Prior therapy agent", "The MG therapy tried before, as the policy names agents; valueString or valueCoding."),
        (TherapyOutcomeQuestion, "Prior therapy outcome", "How the prior therapy went; value: a therapy-outcome-* code."),
        (TherapyMonths, "Prior therapy duration", "Months the prior therapy was taken; valueDecimal or valueInteger."),
        (MgAdlTalking, "MG-ADL item: talking", "MG-ADL item score 0-3; valueInteger."),
        (MgAdlChewing, "MG-ADL item: chewing", "MG-ADL item score 0-3; valueInteger."),
        (MgAdlSwallowing, "MG-ADL item: swallowing", "MG-ADL item score 0-3; valueInteger."),
        (MgAdlBreathing, "MG-ADL item: breathing", "MG-ADL item score 0-3; valueInteger."),
        (MgAdlGrooming, "MG-ADL item: brushing teeth or combing hair", "MG-ADL item score 0-3; valueInteger."),
        (MgAdlArising, "MG-ADL item: arising from a chair", "MG-ADL item score 0-3; valueInteger."),
        (MgAdlDoubleVision, "MG-ADL item: double vision", "MG-ADL item score 0-3; valueInteger."),
        (MgAdlEyelidDroop, "MG-ADL item: eyelid droop", "MG-ADL item score 0-3; valueInteger."),
        (ClinicalFinding, "Clinical finding", "supportingInfo category: an Observation the policy reads."),
        (PriorTherapy, "Prior therapy", "supportingInfo category: a MedicationStatement of an MG therapy tried before."),
        (PriorIvigCourse, "Prior IVIG course", "supportingInfo category: a MedicationStatement of an earlier IVIG course."),
        (PlannedSurgery, "Planned surgery", "supportingInfo category: a ServiceRequest (intent plan) for the planned operation."),
        (PlannedCorticosteroid, "Planned corticosteroid", "supportingInfo category: a MedicationRequest (intent plan) for the planned corticosteroid course."),
    ];

    public static Coding Coding(string code) => new(System, code, Display(code));

    public static string Display(string code)
    {
        foreach (var c in Concepts)
            if (c.Code == code) return c.Display;
        throw new ArgumentException($"'{code}' is not an MgAuth finding code.", nameof(code));
    }

    /// <summary>The code system as a FHIR resource, to serve and to validate codes against.</summary>
    public static CodeSystem CodeSystem()
    {
        var system = new CodeSystem
        {
            Id = "mgauth-findings",
            Url = System,
            Version = "1.0.0",
            Name = "MgAuthFindings",
            Title = "MgAuth findings",
            Status = PublicationStatus.Active,
            Experimental = false,
            Publisher = "MgAuth",
            Description = "Myasthenia gravis findings, supporting-information kinds and contract values that MgAuth's IVIG policy reads from a Da Vinci PAS request.",
            CaseSensitive = true,
            Content = CodeSystemContentMode.Complete,
        };
        foreach (var (code, display, definition) in Concepts)
            system.Concept.Add(new Hl7.Fhir.Model.CodeSystem.ConceptDefinitionComponent { Code = code, Display = display, Definition = definition });
        foreach (var (code, display) in Indications.All().Concat(MgfaClasses.All()).Concat(ElectrodiagnosticResults.All())
                     .Concat(IgaStatuses.All()).Concat(TherapyOutcomes.All()))
            system.Concept.Add(new Hl7.Fhir.Model.CodeSystem.ConceptDefinitionComponent { Code = code, Display = display });
        system.Count = system.Concept.Count;
        return system;
    }
}
