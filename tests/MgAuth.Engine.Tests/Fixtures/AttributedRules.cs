using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

public sealed class ReviewAttribute() : MetadataAttribute(
    new KeyValuePair<string, string>("owner", "claims-team"),
    new KeyValuePair<string, string>("review", "2025-Q1"));

[Name("Attributed rule")]
[Description("Shows what attributes put on a definition")]
[Tag("audit")]
[Tag("claims")]
[Priority(7)]
[Metadata("source", "handbook 4.2")]
[Review]
public sealed class AttributedRule : Rule
{
    protected override void Define()
    {
        Member m = null!;
        When().Match(() => m);
        Then().Do(ctx => ctx.Insert(new Note("attributed " + m.Id)));
    }
}
