using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

public sealed class AdultNoteA : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m, x => x.Age >= 18);
        Then().Do(ctx => ctx.Insert(new Note("a " + m.Id)));
    }
}

/// <summary>The same alpha condition as <see cref="AdultNoteA"/>, written with another parameter name.</summary>
public sealed class AdultNoteB : Rule
{
    protected override void Define()
    {
        Member member = null!;
        When().Match(() => member, candidate => candidate.Age >= 18);
        Then().Do(ctx => ctx.Insert(new Note("b " + member.Id)));
    }
}

/// <summary>A different alpha condition on the same type.</summary>
public sealed class SeniorNote : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m, x => x.Age >= 65);
        Then().Do(ctx => ctx.Insert(new Note("s " + m.Id)));
    }
}
