namespace MgAuth.Rules.IvigMg;

// §5.3 Preparation for thymectomy.

[PolicyRow("§5.3", "the surgery date places the course before the operation")]
public sealed class SurgeryDateMissing : Rule
{
    public override void Define()
    {
        Policy p = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.PreThymectomy)
            .Not<PlannedSurgery>(s => s.Date != null);
        Then().Do(ctx => ctx.AddMissingDocumentation(p, new { }, "plannedSurgery.date"));
    }
}

[PolicyRow("§5.3", "Juel and Robinson neuromuscular therapeutics syllabus, 2016 consensus: preoperative IVIG is for thymectomy")]
public sealed class NonThymectomySurgery : Rule
{
    public override void Define()
    {
        Policy p = null!;
        PlannedSurgery s = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.PreThymectomy)
            .Match(() => s, s => !string.Equals(s.Procedure, p.PreThymectomy.Procedure, StringComparison.OrdinalIgnoreCase));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.NonThymectomySurgery, new { procedure = s.Procedure }));
    }
}

[PolicyRow("§5.3", "IVIG acts within about a week and lasts weeks: given shortly before surgery")]
public sealed class SurgeryTimingOutsideWindow : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Regimen r = null!;
        PlannedSurgery s = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.PreThymectomy)
            .Match(() => r)
            .Match(() => s, s => s.Date < r.StartDate || s.Date > r.StartDate.AddDays(p.PreThymectomy.SurgeryWindowDays));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.SurgeryTimingOutsideWindow, new
        {
            surgery = s.Date,
            start = r.StartDate,
            windowDays = p.PreThymectomy.SurgeryWindowDays,
        }));
    }
}

[PolicyRow("§5.3", "Juel and Robinson neuromuscular therapeutics syllabus: moderate to severe, generalized or bulbar MG should undergo preoperative TPE or IVIg")]
public sealed class PreThymectomyMet : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        IEnumerable<ModerateToSevere> severity = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.PreThymectomy)
            .Match(() => c)
            .Query(() => severity, q => q.Match<ModerateToSevere>().Collect())
            .Having(() => severity.Any() || c.BulbarDysfunction);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.IndicationPreThymectomyMet, new
        {
            moderateToSevere = severity.Any(),
            bulbar = c.BulbarDysfunction,
        }));
    }
}

[PolicyRow("§5.3", "2016 consensus: preoperative IVIG for significant bulbar dysfunction")]
public sealed class PreopCriteriaNotMet : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.PreThymectomy)
            .Match(() => c, c => !c.BulbarDysfunction)
            .Not<ModerateToSevere>();
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.PreopCriteriaNotMet, new { mgAdl = c.MgAdlCurrent, qmg = c.QmgCurrent }));
    }
}
