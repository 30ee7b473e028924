using NRules.Fluent.Dsl;

namespace MgAuth.Benchmarks;

// Rule templates: NRules Fluent rules whose thresholds come from constructor parameters. The repository
// activates rule classes through an IRuleActivator (RuleSet's TemplateActivator): each template is one
// class whose instances differ by their parameters, and each instance names itself (NRules would name
// them all after the class): the template's name plus its index.

/// <summary>Single pattern: applicants in an age band get a tag.</summary>
public sealed class AgeBand(string name, string band, int minAge, int maxAge) : Rule
{
    public override void Define()
    {
        Name(name);
        Applicant a = null!;
        When().Match(() => a, x => x.Age >= minAge, x => x.Age < maxAge);
        Then().Do(ctx => ctx.Insert(new Tag(a.Id, band)));
    }
}

/// <summary>Two-pattern join: an applicant's account of a kind above a balance scores points.</summary>
public sealed class BalanceScore(string name, string source, string kind, decimal minBalance, int points) : Rule
{
    public override void Define()
    {
        Name(name);
        Applicant a = null!;
        Account c = null!;
        When()
            .Match(() => a)
            .Match(() => c, x => x.Kind == kind, x => x.Balance >= minBalance, x => x.ApplicantId == a.Id);
        Then().Do(ctx => ctx.Insert(new Score(a.Id, source, points)));
    }
}

/// <summary>Three-pattern join: a large transfer abroad from an applicant's account in a region raises a flag.</summary>
public sealed class ForeignTransfer(string name, string reason, string region, decimal minAmount) : Rule
{
    public override void Define()
    {
        Name(name);
        Applicant a = null!;
        Account c = null!;
        Transaction t = null!;
        When()
            .Match(() => a, x => x.Region == region)
            .Match(() => c, x => x.ApplicantId == a.Id)
            .Match(() => t, x => x.Amount >= minAmount, x => x.AccountId == c.Id && x.Country != a.Region);
        Then().Do(ctx => ctx.Insert(new Flag(a.Id, reason)));
    }
}

/// <summary>Derived fact + Not: a tagged applicant with no flag is cleared.</summary>
public sealed class ClearBand(string name, string outcome, string band) : Rule
{
    public override void Define()
    {
        Name(name);
        Tag tag = null!;
        When()
            .Match(() => tag, x => x.Band == band)
            .Not<Flag>(f => f.ApplicantId == tag.ApplicantId);
        Then().Do(ctx => ctx.Insert(new Decision(tag.ApplicantId, outcome)));
    }
}

/// <summary>Exists + Not: income above a level with a verified document, outside a watch-listed region.</summary>
public sealed class VerifiedIncome(string name, string source, decimal minIncome, string document, int points) : Rule
{
    public override void Define()
    {
        Name(name);
        Applicant a = null!;
        When()
            .Match(() => a, x => x.Income >= minIncome)
            .Exists<Document>(d => d.ApplicantId == a.Id && d.Kind == document && d.Verified)
            .Not<Watchlist>(w => w.Region == a.Region);
        Then().Do(ctx => ctx.Insert(new Score(a.Id, source, points)));
    }
}

/// <summary>Derived fact chaining: a tag scores points.</summary>
public sealed class TagScore(string name, string source, string band, int points) : Rule
{
    public override void Define()
    {
        Name(name);
        Tag tag = null!;
        When().Match(() => tag, x => x.Band == band);
        Then().Do(ctx => ctx.Insert(new Score(tag.ApplicantId, source, points)));
    }
}

/// <summary>Collect + Having over derived facts: enough points in total gives applicants of a region a decision.</summary>
public sealed class ScoreThreshold(string name, string outcome, string region, int minPoints) : Rule
{
    public override void Define()
    {
        Name(name);
        Applicant a = null!;
        IEnumerable<Score> scores = null!;
        When()
            .Match(() => a, x => x.Region == region)
            .Query(() => scores, q => q.Match<Score>(s => s.ApplicantId == a.Id).Collect())
            .Having(() => scores.Sum(s => s.Points) >= minPoints);
        Then().Do(ctx => ctx.Insert(new Decision(a.Id, outcome)));
    }
}
