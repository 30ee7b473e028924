using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

/// <summary>A member with no hold on them is cleared.</summary>
public sealed class ClearMember : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When()
            .Match(() => m)
            .Not<Hold>(h => h.MemberId == m.Id);
        Then().Do(ctx => ctx.Insert(new Cleared(m.Id)));
    }
}

/// <summary>Runs before <see cref="ClearMember"/> and blocks it for minors.</summary>
[Priority(10)]
public sealed class HoldMinors : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m, x => x.Age < 18);
        Then().Do(ctx => ctx.Insert(new Hold(m.Id)));
    }
}

/// <summary>A member with at least one claim: once per member however many claims.</summary>
public sealed class FlagClaimants : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When()
            .Match(() => m)
            .Exists<Claim>(c => c.MemberId == m.Id);
        Then().Do(ctx => ctx.Insert(new HasClaims(m.Id)));
    }
}

/// <summary>Fires while no hold at all is in the session (a rule with no Match pattern).</summary>
public sealed class NoHoldsAnywhere : Rule
{
    protected override void Define()
    {
        When().Not<Hold>();
        Then().Do(ctx => ctx.Insert(new Note("no holds")));
    }
}
