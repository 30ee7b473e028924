namespace MgAuth.Engine.Model;

/// <summary>A rule as plain data: what the DSL produces and the compiler consumes.</summary>
public sealed record RuleDefinition(
    string Name,
    string Description,
    int Priority,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<RuleElement> LeftHandSide,
    IReadOnlyList<ActionElement> RightHandSide)
{
    /// <summary>The declarations (aliases) the left-hand side binds, in order.</summary>
    public IEnumerable<Declaration> Declarations =>
        LeftHandSide.Where(e => e.Declaration is not null).Select(e => e.Declaration!);
}
