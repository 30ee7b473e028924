namespace MgAuth.Rules.IvigMg;

// §5.2 Myasthenic crisis.

[PolicyRow("§5.2", "AAN 2012, 2016 consensus: IVIG (or PLEX) in myasthenic crisis")]
public sealed class CrisisMet : Rule
{
    public override void Define()
    {
        Policy p = null!;
        IEnumerable<CrisisCriterion> criteria = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.Crisis)
            .Query(() => criteria, q => q.Match<CrisisCriterion>().Collect().Where(x => x.Any()));
        // Criteria in a fixed order, not the order the engine derived them in.
        Then()
            .Do(ctx => ctx.AddReason(p, ReasonCodes.IndicationCrisisMet, new { criteria = string.Join(", ", criteria.Select(x => x.Basis).Order(StringComparer.Ordinal)) }))
            .Do(ctx => ctx.Insert(new UrgencyEscalation(Urgency.Expedited)));
    }
}

[PolicyRow("§5.2", "a crisis request without crisis criteria is reviewed as an exacerbation")]
public sealed class CrisisNotSubstantiated : Rule
{
    public override void Define()
    {
        Policy p = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.Crisis)
            .Not<CrisisCriterion>();
        Then()
            .Do(ctx => ctx.AddReason(p, ReasonCodes.CrisisNotSubstantiated, new { fvcBelow = p.Crisis.FvcBelowMlPerKg }))
            .Do(ctx => ctx.Insert(new CriteriaUnderReview(Indication.Exacerbation)));
    }
}
