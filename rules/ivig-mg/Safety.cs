namespace MgAuth.Rules.IvigMg;

// §4 Safety: what an infusion site and a reviewer must know before IVIG is given.

[PolicyRow("§4 S1", "2016 consensus: IVIG cannot be used in renal failure")]
public sealed class RenalImpairmentSevere : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.Egfr < p.Renal.SevereEgfrBelow);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.RenalImpairmentSevere, new { egfr = c.Egfr, threshold = p.Renal.SevereEgfrBelow }));
    }
}

[PolicyRow("§4 S2", "Juel and Robinson neuromuscular therapeutics syllabus: solute-induced renal failure; spread the dose over more days")]
public sealed class RenalRisk : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => (c.Egfr >= p.Renal.SevereEgfrBelow && c.Egfr < p.Renal.RiskEgfrBelow) || c.DiabeticNephropathy);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.AdvRenalRisk, new { egfr = c.Egfr, diabeticNephropathy = c.DiabeticNephropathy }));
    }
}

[PolicyRow("§4 S3", "Juel and Robinson neuromuscular therapeutics syllabus: anaphylaxis occurs almost exclusively in IgA deficiency")]
public sealed class IgaDeficiencyWithAntiIga : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.IgaStatus == IgaStatus.DeficientWithAntiIga);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.IgaDeficiencyWithAntiIga, new { }));
    }
}

[PolicyRow("§4 S3", "Juel and Robinson neuromuscular therapeutics syllabus: anaphylaxis occurs almost exclusively in IgA deficiency")]
public sealed class IgaDeficiency : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.IgaStatus == IgaStatus.Deficient);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.AdvIgaDeficiency, new { }));
    }
}

[PolicyRow("§4 S4", "Juel and Robinson neuromuscular therapeutics syllabus: anaphylactic reactions to immune globulin")]
public sealed class PriorIgAnaphylaxis : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.PriorIgAnaphylaxis);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.PriorIgAnaphylaxis, new { }));
    }
}

[PolicyRow("§4 S5", "Díez-Porras 2020 (IVIG before prednisone); neurologist Q&A on IVIG in MG; Juel and Robinson neuromuscular therapeutics syllabus: IVIG is associated with thrombosis and stroke")]
public sealed class ThrombosisRisk : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.ThromboembolicHistory);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.AdvThrombosisRisk, new { }));
    }
}

[PolicyRow("§4 S6", "Juel and Robinson neuromuscular therapeutics syllabus: volume overload in heart failure")]
public sealed class VolumeOverloadRisk : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.HeartFailure);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.AdvVolumeOverloadRisk, new { }));
    }
}
