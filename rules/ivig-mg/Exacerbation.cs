namespace MgAuth.Rules.IvigMg;

// §5.1 Exacerbation; also applied to a crisis request whose crisis criteria are not met.

[PolicyRow("§5.1", "Gajdos 2005, Zinman 2007, Barth 2011: IVIG is effective in worsening moderate-to-severe MG")]
public sealed class ExacerbationMet : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.Exacerbation)
            .Match(() => c)
            .Exists<DocumentedWorsening>()
            .Exists<ModerateToSevere>();
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.IndicationExacerbationMet, new
        {
            mgAdlIncrease = c.MgAdlIncrease,
            qmgIncrease = c.QmgIncrease,
        }));
    }
}

[PolicyRow("§5.1", "2016 consensus: efficacy is less certain in milder MG")]
public sealed class MildMgEfficacyUncertain : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.Exacerbation)
            .Match(() => c)
            .Exists<DocumentedWorsening>()
            .Not<ModerateToSevere>();
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.MildMgEfficacyUncertain, new
        {
            mgAdl = c.MgAdlCurrent,
            qmg = c.QmgCurrent,
        }));
    }
}

[PolicyRow("§5.1", "worsening is documented by a score now against a baseline")]
public sealed class ExacerbationScoresMissing : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.Exacerbation)
            .Match(() => c, c => !c.HasMgAdlPair && !c.HasQmgPair);
        Then().Do(ctx => ctx.AddMissingDocumentation(p, new { }, c.MissingScoreFields()));
    }
}

[PolicyRow("§5.1", "AANEM: IVIG for exacerbations but not stable disease")]
public sealed class NoDocumentedWorsening : Rule
{
    public override void Define()
    {
        Policy p = null!;
        ClinicalFindings c = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.Exacerbation)
            .Match(() => c, c => c.HasMgAdlPair || c.HasQmgPair)
            .Not<DocumentedWorsening>();
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.NoDocumentedWorsening, new
        {
            mgAdlIncrease = c.MgAdlIncrease,
            qmgIncrease = c.QmgIncrease,
            minMgAdl = p.Worsening.MinMgAdlIncrease,
            qmgMoreThan = p.Worsening.QmgIncreaseMoreThan,
        }));
    }
}
