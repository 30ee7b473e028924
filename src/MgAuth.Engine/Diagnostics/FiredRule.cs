using MgAuth.Engine.Compilation;
using MgAuth.Engine.Model;

namespace MgAuth.Engine.Diagnostics;

/// <summary>A fact (or collection) a rule matched, under the alias that named it.</summary>
public sealed record MatchedFact(string Name, object? Value)
{
    internal static IReadOnlyList<MatchedFact> Of(CompiledRule rule, object?[] slots)
    {
        var facts = new List<MatchedFact>(rule.Elements.Length);
        foreach (var element in rule.Elements)
            if (element.Kind is ElementKind.Match or ElementKind.Collect)
                facts.Add(new MatchedFact(element.Alias!, slots[element.Slot]));
        return facts;
    }
}

/// <summary>One entry of the trace: a rule that fired, in firing order, with the facts it matched.</summary>
public sealed class FiredRule
{
    private readonly CompiledRule _rule;
    private readonly object?[] _slots;
    private IReadOnlyList<MatchedFact>? _facts;

    internal FiredRule(int sequence, CompiledRule rule, object?[] slots)
    {
        Sequence = sequence;
        _rule = rule;
        _slots = slots;
    }

    public int Sequence { get; }
    public RuleDefinition Rule => _rule.Definition;

    /// <summary>Built when first read, so tracing costs little when nobody looks.</summary>
    public IReadOnlyList<MatchedFact> Facts => _facts ??= MatchedFact.Of(_rule, _slots);
}
