using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

[Priority(0)]
public sealed class LowPriority : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m);
        Then().Do(ctx => ctx.Insert(new Note("low " + m.Id)));
    }
}

[Priority(5)]
public sealed class MidPriority : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m);
        Then().Do(ctx => ctx.Insert(new Note("mid " + m.Id)));
    }
}

[Priority(10)]
public sealed class HighPriority : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m);
        Then().Do(ctx => ctx.Insert(new Note("high " + m.Id)));
    }
}

[Priority(-5)]
public sealed class NegativePriority : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m);
        Then().Do(ctx => ctx.Insert(new Note("negative " + m.Id)));
    }
}

/// <summary>Default priority, matches members.</summary>
public sealed class NoteMember : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m);
        Then().Do(ctx => ctx.Insert(new Note("member " + m.Id)));
    }
}

/// <summary>Default priority, matches claims.</summary>
public sealed class NoteClaim : Rule
{
    protected override void Define()
    {
        Claim c = null!;
        When().Match(() => c);
        Then().Do(ctx => ctx.Insert(new Note("claim " + c.MemberId)));
    }
}
