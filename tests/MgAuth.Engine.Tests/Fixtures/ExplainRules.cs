using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

/// <summary>Fails on its first element for anyone under 65.</summary>
public sealed class SeniorDiscount : Rule
{
    protected override void Define()
    {
        Member member = null!;
        When().Match(() => member, m => m.Age >= 65);
        Then().Do(ctx => ctx.Insert(new Note("senior " + member.Id)));
    }
}

/// <summary>Fails on the second condition of its second element unless the plan is Gold.</summary>
public sealed class GoldCover : Rule
{
    protected override void Define()
    {
        Member m = null!;
        Policy p = null!;
        When()
            .Match(() => m)
            .Match(() => p, x => x.MemberId == m.Id, x => x.Plan == "Gold");
        Then().Do(ctx => ctx.Insert(new Note("gold " + m.Id)));
    }
}

/// <summary>Needs a policy; fails with "no Policy fact" in a session without any.</summary>
public sealed class NeedsPolicy : Rule
{
    protected override void Define()
    {
        Member m = null!;
        Policy p = null!;
        When()
            .Match(() => m)
            .Match(() => p, x => x.MemberId == m.Id);
        Then().Do(ctx => ctx.Insert(new Note("covered " + m.Id)));
    }
}
