using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

/// <summary>Collects a member's claims (possibly none) and records the count and total.</summary>
public sealed class TotalClaims : Rule
{
    protected override void Define()
    {
        Member m = null!;
        IReadOnlyList<Claim> claims = null!;
        When()
            .Match(() => m)
            .Collect(() => claims, c => c.MemberId == m.Id);
        Then().Do(ctx => ctx.Insert(new ClaimTotal(m.Id, claims.Count, claims.Sum(c => c.Amount))));
    }
}

/// <summary>Higher priority than <see cref="TotalClaims"/>: adds two claims for seniors before the total is taken.</summary>
[Priority(10)]
public sealed class TopUpSeniorClaims : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m, x => x.Age >= 65);
        Then()
            .Do(ctx => ctx.Insert(new Claim(m.Id, 1m)))
            .Do(ctx => ctx.Insert(new Claim(m.Id, 2m)));
    }
}

/// <summary>Having over a collection: two or more claims.</summary>
public sealed class FrequentClaimant : Rule
{
    protected override void Define()
    {
        Member m = null!;
        IReadOnlyList<Claim> claims = null!;
        When()
            .Match(() => m)
            .Collect(() => claims, c => c.MemberId == m.Id)
            .Having(() => claims.Count >= 2);
        Then().Do(ctx => ctx.Insert(new Note("frequent " + m.Id)));
    }
}

/// <summary>Having over two bound facts.</summary>
public sealed class SeniorPlanMismatch : Rule
{
    protected override void Define()
    {
        Member m = null!;
        Policy p = null!;
        When()
            .Match(() => m)
            .Match(() => p, x => x.MemberId == m.Id)
            .Having(() => m.Age >= 65 && p.Plan != "Senior");
        Then().Do(ctx => ctx.Insert(new Note("mismatch " + m.Id)));
    }
}

/// <summary>A collection with no Match pattern: all claims in the session.</summary>
public sealed class CountAllClaims : Rule
{
    protected override void Define()
    {
        IReadOnlyList<Claim> all = null!;
        When().Collect(() => all);
        Then().Do(ctx => ctx.Insert(new ClaimTotal("*", all.Count, all.Sum(c => c.Amount))));
    }
}

/// <summary>A condition with a lambda inside it: the claims' total against ten times the member's age.</summary>
public sealed class ClaimsOverAgeLimit : Rule
{
    protected override void Define()
    {
        Member m = null!;
        IReadOnlyList<Claim> claims = null!;
        When()
            .Match(() => m)
            .Collect(() => claims, c => c.MemberId == m.Id)
            .Having(() => claims.Sum(c => c.Amount) >= m.Age * 10m);
        Then().Do(ctx => ctx.Insert(new Note("over limit " + m.Id)));
    }
}
