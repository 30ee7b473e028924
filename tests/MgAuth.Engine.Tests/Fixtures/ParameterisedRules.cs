using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

/// <summary>A rule parameterised through its constructor; its conditions read the rule's own fields.</summary>
public sealed class PlanAgeLimit(string plan, int maxAge) : Rule
{
    protected override void Define()
    {
        Member m = null!;
        Policy p = null!;
        When()
            .Match(() => m, x => x.Age > maxAge)
            .Match(() => p, x => x.MemberId == m.Id && x.Plan == plan);
        Then().Do(ctx => ctx.Insert(new Note(plan + " over age " + m.Id)));
    }
}
