namespace MgAuth.Rules.IvigMg;

// §3 Gates: every indication.

[PolicyRow("§3 G1", "the policy covers myasthenia gravis (ICD-10 G70.00, G70.01) only")]
public sealed class DiagnosisNotCovered : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Diagnosis d = null!;
        When()
            .Match(() => p)
            .Match(() => d, d => !p.Covers(d.Icd10));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DiagnosisNotCovered,
            new { icd10 = d.Icd10, covered = string.Join(", ", p.CoveredDiagnoses) }));
    }
}

[PolicyRow("§3 G1", "the policy covers myasthenia gravis (ICD-10 G70.00, G70.01) only")]
public sealed class DiagnosisCovered : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Diagnosis d = null!;
        When()
            .Match(() => p)
            .Match(() => d, d => p.Covers(d.Icd10));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DiagnosisCovered, new { icd10 = d.Icd10 }));
    }
}

[PolicyRow("§3 G2", "Juel and Robinson neuromuscular therapeutics syllabus: diagnosis rests on AChR/MuSK/LRP4 antibodies or electrodiagnostic testing")]
public sealed class DiagnosisConfirmed : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Diagnosis d = null!;
        When()
            .Match(() => p)
            .Match(() => d, d => d.HasPositiveFinding);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DiagnosisConfirmed, new { findings = d.Findings }));
    }
}

[PolicyRow("§3 G2", "seronegative MG with normal electrodiagnostics needs a reviewer's judgement")]
public sealed class DiagnosisUnconfirmed : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Diagnosis d = null!;
        When()
            .Match(() => p)
            .Match(() => d, d => !d.HasPositiveFinding, d => d.AllTestsResulted);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DiagnosisUnconfirmed, new { findings = d.Findings }));
    }
}

[PolicyRow("§3 G2", "diagnostic confirmation is documentation the provider can send")]
public sealed class DiagnosisConfirmationMissing : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Diagnosis d = null!;
        When()
            .Match(() => p)
            .Match(() => d, d => !d.HasPositiveFinding, d => !d.AllTestsResulted);
        Then().Do(ctx => ctx.AddMissingDocumentation(p, new { findings = d.Findings }, "diagnosis.confirmation"));
    }
}

[PolicyRow("§3 G3", "Ontario IG criteria: do not use in ocular MG; 2016 consensus: efficacy uncertain")]
public sealed class OcularMgNotCovered : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Diagnosis d = null!;
        When()
            .Match(() => p)
            .Match(() => d, d => d.MgfaClass < p.Severity.GeneralizedMinMgfaClass);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.OcularMgNotCovered, new { mgfaClass = d.MgfaClass }));
    }
}

[PolicyRow("§3 G4", "paediatric dosing and evidence differ; a clinician reviews")]
public sealed class PediatricRequest : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Member m = null!;
        When()
            .Match(() => p)
            .Match(() => m, m => m.Age < p.PediatricAgeBelow);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.PediatricRequest, new { age = m.Age, adultAge = p.PediatricAgeBelow }));
    }
}
