namespace MgAuth.Rules.IvigMg;

// §2 definitions. Each derives a fact the policy rows match, so the trace shows why a member
// counts as moderate-to-severe, worsening, in crisis or refractory.

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Moderate-to-severe", "Zinman 2007, Barth 2011: trial entry threshold on QMG")]
public sealed class ModerateToSevereByMgfaClass : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Diagnosis d = null!;
        When()
            .Match(() => p)
            .Match(() => d, d => d.MgfaClass >= p.Severity.ModerateMinMgfaClass);
        Then().Do(ctx => ctx.Insert(new ModerateToSevere("mgfaClass")));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Moderate-to-severe", "Zinman 2007, Barth 2011: trial entry threshold on QMG")]
public sealed class ModerateToSevereByQmg : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.QmgCurrent >= p.Severity.ModerateMinQmg);
        Then().Do(ctx => ctx.Insert(new ModerateToSevere("qmg")));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Moderate-to-severe", "MG-ADL severity threshold (policy §2)")]
public sealed class ModerateToSevereByMgAdl : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.MgAdlCurrent >= p.Severity.ModerateMinMgAdl);
        Then().Do(ctx => ctx.Insert(new ModerateToSevere("mgAdl")));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Documented worsening", "MG-ADL: the clinically meaningful change (policy §2)")]
public sealed class WorseningByMgAdl : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.MgAdlIncrease >= p.Worsening.MinMgAdlIncrease);
        Then().Do(ctx => ctx.Insert(new DocumentedWorsening("mgAdl")));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Documented worsening", "Díez-Porras 2020 (IVIG before prednisone): deterioration defined as a QMG increase beyond a threshold")]
public sealed class WorseningByQmg : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.QmgIncrease > p.Worsening.QmgIncreaseMoreThan);
        Then().Do(ctx => ctx.Insert(new DocumentedWorsening("qmg")));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Crisis criteria", "MGFA class V: intubation")]
public sealed class CrisisByMgfaClass : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Diagnosis d = null!;
        When()
            .Match(() => p)
            .Match(() => d, d => d.MgfaClass >= p.Crisis.MgfaClass);
        Then().Do(ctx => ctx.Insert(new CrisisCriterion("MGFA class V")));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Crisis criteria", "myasthenic crisis: respiratory failure needing ventilation")]
public sealed class CrisisByIntubation : Rule
{
    public override void Define()
    {
        ClinicalFindings c = null!;
        When().Match(() => c, c => c.Intubated);
        Then().Do(ctx => ctx.Insert(new CrisisCriterion("intubated")));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Crisis criteria", "myasthenic crisis: respiratory failure needing ventilation")]
public sealed class CrisisByNonInvasiveVentilation : Rule
{
    public override void Define()
    {
        ClinicalFindings c = null!;
        When().Match(() => c, c => c.NonInvasiveVentilation);
        Then().Do(ctx => ctx.Insert(new CrisisCriterion("non-invasive ventilation")));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Crisis criteria", "a low forced vital capacity signals impending respiratory failure")]
public sealed class CrisisByVitalCapacity : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match(() => c, c => c.FvcMlPerKg < p.Crisis.FvcBelowMlPerKg);
        Then().Do(ctx => ctx.Insert(new CrisisCriterion("forced vital capacity below the crisis threshold")));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Failed trial", "an agent not tolerated or contraindicated counts at any duration")]
public sealed class FailedTrialByIntolerance : Rule
{
    public override void Define()
    {
        Policy p = null!;
        PriorTherapy t = null!;
        When()
            .Match(() => p)
            .Match(() => t,
                t => t.Outcome == TherapyOutcome.Intolerant || t.Outcome == TherapyOutcome.Contraindicated,
                t => p.Agent(t.Agent) != null);
        Then().Do(ctx => ctx.Insert(new FailedTrial(t, p.Agent(t.Agent)!)));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Failed trial", "Juel and Robinson neuromuscular therapeutics syllabus: azathioprine and MMF take months to act; 2025 medical-necessity review of maintenance IVIG: MMF needs months for full effect")]
public sealed class FailedTrialByInadequateResponse : Rule
{
    public override void Define()
    {
        Policy p = null!;
        PriorTherapy t = null!;
        When()
            .Match(() => p)
            .Match(() => t,
                t => t.Outcome == TherapyOutcome.InadequateResponse,
                t => p.Agent(t.Agent) != null,
                t => t.Months >= p.Agent(t.Agent)!.AdequateMonths);
        Then().Do(ctx => ctx.Insert(new FailedTrial(t, p.Agent(t.Agent)!)));
    }
}

[Priority(RulePriority.Definition)]
[PolicyRow("§2 Failed trial", "agents on neither list are shown, not counted")]
public sealed class TherapyNotCounted : Rule
{
    public override void Define()
    {
        Policy p = null!;
        PriorTherapy t = null!;
        When()
            .Match(() => p)
            .Match(() => t, t => p.Agent(t.Agent) == null);
        Then().Do(ctx => ctx.Insert(new UncountedTherapy(t)));
    }
}

[Priority(RulePriority.Assessment)]
[PolicyRow("§2 Refractory MG", "2016 consensus: unchanged or worse after corticosteroids and at least two other immunosuppressants")]
public sealed class RefractoryByFailedTrials : Rule
{
    public override void Define()
    {
        Policy p = null!;
        IEnumerable<FailedTrial> failures = null!;
        When()
            .Match(() => p)
            .Query(() => failures, q => q.Match<FailedTrial>().Collect())
            .Having(
                () => failures.AnyOf(AgentClass.Corticosteroid),
                () => failures.DistinctAgents(AgentClass.SteroidSparing) >= p.Maintenance.MinSteroidSparingFailures);
        Then().Do(ctx => ctx.Insert(new Refractory("failed trials of a corticosteroid and steroid-sparing agents")));
    }
}

[Priority(RulePriority.Assessment)]
[PolicyRow("§2 Refractory MG", "2016 consensus: maintenance IVIG for those in whom IS agents are relatively contraindicated")]
public sealed class RefractoryByContraindicatedImmunosuppressants : Rule
{
    public override void Define()
    {
        ClinicalFindings c = null!;
        When().Match(() => c, c => c.ImmunosuppressantsContraindicated);
        Then().Do(ctx => ctx.Insert(new Refractory("immunosuppressants contraindicated")));
    }
}
