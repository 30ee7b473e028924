using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

/// <summary>Three patterns joined through their aliases: adult member → their policy → their claim.</summary>
public sealed class ApproveCoveredClaim : Rule
{
    protected override void Define()
    {
        Member m = null!;
        Policy p = null!;
        Claim c = null!;
        When()
            .Match(() => m, x => x.Age >= 18)
            .Match(() => p, x => x.MemberId == m.Id)
            .Match(() => c, x => x.MemberId == p.MemberId);
        Then().Do(ctx => ctx.Insert(new Approval(m.Id, p.Plan, c.Amount)));
    }
}

/// <summary>An anonymous pattern on its own: fires once per matching fact.</summary>
public sealed class NoteAuditHold : Rule
{
    protected override void Define()
    {
        When().Match<Hold>(h => h.MemberId == "audit");
        Then().Do(ctx => ctx.Insert(new Note("audit hold")));
    }
}

/// <summary>An anonymous pattern joined to a named one: fires once per (member, policy) pair.</summary>
public sealed class NotePolicyHolder : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When()
            .Match(() => m)
            .Match<Policy>(p => p.MemberId == m.Id);
        Then().Do(ctx => ctx.Insert(new Note("policy holder " + m.Id)));
    }
}
