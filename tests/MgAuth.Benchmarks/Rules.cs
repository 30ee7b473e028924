using MgAuth.Engine.Dsl;

namespace MgAuth.Benchmarks;

// Rule templates: ordinary DSL rules whose thresholds come from constructor parameters.
// The DSL names a rule after its class (or its [Name]), so every instance of a template has the
// same name; RuleSet gives each definition a unique name with `definition with { Name = ... }`.

/// <summary>Single pattern: applicants in an age band get a tag.</summary>
public sealed class AgeBand(string band, int minAge, int maxAge) : Rule
{
    protected override void Define()
    {
        Applicant a = null!;
        When().Match(() => a, x => x.Age >= minAge, x => x.Age < maxAge);
        Then().Do(ctx => ctx.Insert(new Tag(a.Id, band)));
    }
}

/// <summary>Two-pattern join: an applicant's account of a kind above a balance scores points.</summary>
public sealed class BalanceScore(string source, string kind, decimal minBalance, int points) : Rule
{
    protected override void Define()
    {
        Applicant a = null!;
        Account c = null!;
        When()
            .Match(() => a)
            .Match(() => c, x => x.Kind == kind, x => x.Balance >= minBalance, x => x.ApplicantId == a.Id);
        Then().Do(ctx => ctx.Insert(new Score(a.Id, source, points)));
    }
}

/// <summary>Three-pattern join: a large transfer abroad from an applicant's account in a region raises a flag.</summary>
public sealed class ForeignTransfer(string reason, string region, decimal minAmount) : Rule
{
    protected override void Define()
    {
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
public sealed class ClearBand(string outcome, string band) : Rule
{
    protected override void Define()
    {
        Tag tag = null!;
        When()
            .Match(() => tag, x => x.Band == band)
            .Not<Flag>(f => f.ApplicantId == tag.ApplicantId);
        Then().Do(ctx => ctx.Insert(new Decision(tag.ApplicantId, outcome)));
    }
}

/// <summary>Exists + Not: income above a level with a verified document, outside a watch-listed region.</summary>
public sealed class VerifiedIncome(string source, decimal minIncome, string document, int points) : Rule
{
    protected override void Define()
    {
        Applicant a = null!;
        When()
            .Match(() => a, x => x.Income >= minIncome)
            .Exists<Document>(d => d.ApplicantId == a.Id && d.Kind == document && d.Verified)
            .Not<Watchlist>(w => w.Region == a.Region);
        Then().Do(ctx => ctx.Insert(new Score(a.Id, source, points)));
    }
}

/// <summary>Derived fact chaining: a tag scores points.</summary>
public sealed class TagScore(string source, string band, int points) : Rule
{
    protected override void Define()
    {
        Tag tag = null!;
        When().Match(() => tag, x => x.Band == band);
        Then().Do(ctx => ctx.Insert(new Score(tag.ApplicantId, source, points)));
    }
}

/// <summary>Collect + Having over derived facts: enough points in total gives applicants of a region a decision.</summary>
public sealed class ScoreThreshold(string outcome, string region, int minPoints) : Rule
{
    protected override void Define()
    {
        Applicant a = null!;
        IReadOnlyList<Score> scores = null!;
        When()
            .Match(() => a, x => x.Region == region)
            .Collect(() => scores, s => s.ApplicantId == a.Id)
            .Having(() => scores.Sum(s => s.Points) >= minPoints);
        Then().Do(ctx => ctx.Insert(new Decision(a.Id, outcome)));
    }
}
