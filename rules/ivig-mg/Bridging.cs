namespace MgAuth.Rules.IvigMg;

// §5.4 Bridging while corticosteroids start (Díez-Porras 2020: IVIG before prednisone).

[PolicyRow("§5.4", "Díez-Porras 2020 (IVIG before prednisone): IVIG precedes the first full-dose prednisone course")]
public sealed class CorticosteroidPlanMissing : Rule
{
    public override void Define()
    {
        Policy p = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.BridgingSteroids)
            .Not<PlannedCorticosteroid>();
        Then().Do(ctx => ctx.AddMissingDocumentation(p, new { }, "plannedCorticosteroid"));
    }
}

[PolicyRow("§5.4", "Díez-Porras 2020 (IVIG before prednisone): patients starting corticosteroids for the first time")]
public sealed class BridgingNotFirstSteroidCourse : Rule
{
    public override void Define()
    {
        Policy p = null!;
        PriorTherapy t = null!;
        When()
            .Match(() => p)
            .Exists<CriteriaUnderReview>(k => k.Indication == Indication.BridgingSteroids)
            .Match(() => t, t => p.Agent(t.Agent) != null, t => p.Agent(t.Agent)!.Class == AgentClass.Corticosteroid);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.BridgingNotFirstSteroidCourse, new { agent = t.Agent, outcome = t.Outcome }));
    }
}

[PolicyRow("§5.4", "Díez-Porras 2020 (IVIG before prednisone): the IVIG course is followed by full-dose prednisone")]
public sealed class BridgingLowSteroidDose : Rule
{
    public override void Define()
    {
        Policy p = null!;
        PlannedCorticosteroid s = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.BridgingSteroids)
            .Match(() => s, s => s.PrednisoneMgPerKgPerDay < p.Bridging.MinPrednisoneMgPerKgPerDay);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.BridgingLowSteroidDose, new
        {
            dose = s.PrednisoneMgPerKgPerDay,
            minimum = p.Bridging.MinPrednisoneMgPerKgPerDay,
        }));
    }
}

[PolicyRow("§5.4", "Díez-Porras 2020 (IVIG before prednisone): prednisone starts days after the IVIG course")]
public sealed class SteroidStartOutsideWindow : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Regimen r = null!;
        PlannedCorticosteroid s = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.BridgingSteroids)
            .Match(() => r)
            .Match(() => s, s => s.StartDate < r.StartDate || s.StartDate > r.StartDate.AddDays(p.Bridging.SteroidStartWindowDays));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.SteroidStartOutsideWindow, new
        {
            steroidStart = s.StartDate,
            start = r.StartDate,
            windowDays = p.Bridging.SteroidStartWindowDays,
        }));
    }
}

// Summary rows: they hold only when none of the rows above raised a concern.

[Priority(RulePriority.Summary)]
[PolicyRow("§5.4", "Díez-Porras 2020 (IVIG before prednisone): fewer paradoxical exacerbations with IVIG than historically; Juel and Robinson neuromuscular therapeutics syllabus: highest risk in moderate-severe bulbar or generalized MG")]
public sealed class BridgingMet : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        IEnumerable<ModerateToSevere> severity = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.BridgingSteroids)
            .Match<PlannedCorticosteroid>()
            .Not<Reason>(x => x.Code == ReasonCodes.BridgingNotFirstSteroidCourse
                || x.Code == ReasonCodes.BridgingLowSteroidDose
                || x.Code == ReasonCodes.SteroidStartOutsideWindow)
            .Match(() => c)
            .Query(() => severity, q => q.Match<ModerateToSevere>().Collect())
            .Having(() => severity.Any() || c.BulbarDysfunction);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.IndicationBridgingMet, new
        {
            moderateToSevere = severity.Any(),
            bulbar = c.BulbarDysfunction,
        }));
    }
}

[Priority(RulePriority.Summary)]
[PolicyRow("§5.4", "Díez-Porras 2020 (IVIG before prednisone): evidence class IV; low risk of steroid-induced exacerbation in mild, non-bulbar MG")]
public sealed class BridgingLowRisk : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.BridgingSteroids)
            .Match<PlannedCorticosteroid>()
            .Not<Reason>(x => x.Code == ReasonCodes.BridgingNotFirstSteroidCourse
                || x.Code == ReasonCodes.BridgingLowSteroidDose
                || x.Code == ReasonCodes.SteroidStartOutsideWindow)
            .Match(() => c, c => !c.BulbarDysfunction)
            .Not<ModerateToSevere>();
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.BridgingLowRisk, new { mgAdl = c.MgAdlCurrent, qmg = c.QmgCurrent }));
    }
}
