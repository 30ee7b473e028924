using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

/// <summary>The first pattern refers to <c>p</c>, which is only matched by the second.</summary>
public sealed class ForwardReference : Rule
{
    protected override void Define()
    {
        Member m = null!;
        Policy p = null!;
        When()
            .Match(() => m, x => x.Id == p.MemberId)
            .Match(() => p);
        Then().Do(ctx => ctx.Insert(new Note(m.Id)));
    }
}

/// <summary>A pattern that refers to its own alias.</summary>
public sealed class SelfReference : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m, x => x.Age > m.Age);
        Then().Do(ctx => ctx.Insert(new Note(m.Id)));
    }
}

/// <summary>The alias is a method call, not a local variable.</summary>
public sealed class AliasIsNotALocal : Rule
{
    protected override void Define()
    {
        When().Match(() => Make(), x => x.Age > 0);
        Then().Do(ctx => ctx.Insert(new Note("never")));
    }

    private static Member Make() => new("x", 1);
}

/// <summary>Uses a captured fact variable that no pattern matches.</summary>
public sealed class UnmatchedVariable : Rule
{
    protected override void Define()
    {
        Member m = null!;
        Policy forgotten = null!;
        When().Match(() => m, x => x.Id == forgotten.MemberId);
        Then().Do(ctx => ctx.Insert(new Note(m.Id)));
    }
}

public sealed class NoActions : Rule
{
    protected override void Define()
    {
        When().Match<Member>();
    }
}

[Name("Duplicate")]
public sealed class DuplicateOne : Rule
{
    protected override void Define()
    {
        When().Match<Member>();
        Then().Do(ctx => ctx.Insert(new Note("one")));
    }
}

[Name("Duplicate")]
public sealed class DuplicateTwo : Rule
{
    protected override void Define()
    {
        When().Match<Claim>();
        Then().Do(ctx => ctx.Insert(new Note("two")));
    }
}

public sealed class EmptyHaving : Rule
{
    protected override void Define()
    {
        When().Match<Member>().Having();
        Then().Do(ctx => ctx.Insert(new Note("never")));
    }
}

public sealed class AliasDeclaredTwice : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m).Match(() => m);
        Then().Do(ctx => ctx.Insert(new Note("never")));
    }
}
