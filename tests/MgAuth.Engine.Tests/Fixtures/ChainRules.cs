using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

/// <summary>Chain step 1: member → Adult.</summary>
public sealed class ProduceAdult : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m, x => x.Age >= 18);
        Then().Do(ctx => ctx.Insert(new Adult(m)));
    }
}

/// <summary>Chain step 2: Adult + their policy → Eligible.</summary>
public sealed class AdultToEligible : Rule
{
    protected override void Define()
    {
        Adult a = null!;
        Policy p = null!;
        When()
            .Match(() => a)
            .Match(() => p, x => x.MemberId == a.Member.Id);
        Then().Do(ctx => ctx.Insert(new Eligible(a.Member)));
    }
}

/// <summary>Chain step 3: Eligible + their claim → Approval.</summary>
public sealed class EligibleApproval : Rule
{
    protected override void Define()
    {
        Eligible e = null!;
        Claim c = null!;
        When()
            .Match(() => e)
            .Match(() => c, x => x.MemberId == e.Member.Id);
        Then().Do(ctx => ctx.Insert(new Approval(e.Member.Id, "chained", c.Amount)));
    }
}

/// <summary>Consumes an Adult at a priority above the producers, so it jumps ahead of pending work.</summary>
[Priority(10)]
public sealed class NoteAdultUrgently : Rule
{
    protected override void Define()
    {
        Adult a = null!;
        When().Match(() => a);
        Then().Do(ctx => ctx.Insert(new Note("adult " + a.Member.Id)));
    }
}

/// <summary>Every counter makes the next one: never reaches quiescence.</summary>
public sealed class CountForever : Rule
{
    protected override void Define()
    {
        Counter c = null!;
        When().Match(() => c);
        Then().Do(ctx => ctx.Insert(new Counter(c.N + 1)));
    }
}

/// <summary>An action that throws.</summary>
public sealed class ThrowingRule : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m);
        Then().Do(ctx => Boom.Throw(m.Id));
    }
}

public static class Boom
{
    public static void Throw(string id) => throw new InvalidOperationException("boom " + id);
}

/// <summary>Retracts the hold it matched, from its action.</summary>
public sealed class ReleaseHold : Rule
{
    protected override void Define()
    {
        Hold h = null!;
        When().Match(() => h, x => x.MemberId != "audit");
        Then().Do(ctx => ctx.Retract(h));
    }
}
