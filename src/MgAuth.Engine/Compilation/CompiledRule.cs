using MgAuth.Engine.Model;

namespace MgAuth.Engine.Compilation;

internal sealed class CompiledElement(ElementKind kind, Type factType, int slot, string? alias,
    AlphaMemoryNode? memory, CompiledCondition[] conditions, Func<System.Collections.IList>? newCollection)
{
    public ElementKind Kind { get; } = kind;
    public Type FactType { get; } = factType;
    public int Slot { get; } = slot;
    public string? Alias { get; } = alias;
    public AlphaMemoryNode? Memory { get; } = memory;

    /// <summary>Every condition, in the order written (explain walks these).</summary>
    public CompiledCondition[] Conditions { get; } = conditions;

    /// <summary>The conditions the alpha memory has not already checked.</summary>
    public CompiledCondition[] JoinConditions { get; } = conditions.Where(c => c.Alpha is null).ToArray();

    public Func<System.Collections.IList>? NewCollection { get; } = newCollection;

    public bool BindsFact => Kind == ElementKind.Match;
}

internal sealed class CompiledRule(int index, RuleDefinition definition, CompiledElement[] elements,
    Action<IContext, object?[]>[] actions)
{
    public int Index { get; } = index;
    public RuleDefinition Definition { get; } = definition;
    public CompiledElement[] Elements { get; } = elements;
    public Action<IContext, object?[]>[] Actions { get; } = actions;

    /// <summary>Slots that give an activation its identity: the matched facts.</summary>
    public int[] IdentitySlots { get; } = elements.Where(e => e.BindsFact).Select(e => e.Slot).ToArray();

    /// <summary>Elements whose truth depends on all facts of a type, not one.</summary>
    public bool IsSetDependent(int element) => Elements[element].Kind is ElementKind.Not or ElementKind.Exists or ElementKind.Collect;
}
