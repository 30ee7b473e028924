using MgAuth.Engine.Model;

namespace MgAuth.Engine.Compilation;

internal sealed class CompiledElement(ElementKind kind, Type factType, int slot, string? alias,
    AlphaMemoryNode? memory, CompiledCondition[] conditions, int collectIndex = -1)
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

    /// <summary>The compiled tests of <see cref="JoinConditions"/>, for the join loop.</summary>
    public Func<object?[], bool>[] JoinTests { get; } = conditions.Where(c => c.Alpha is null).Select(c => c.JoinTest!).ToArray();

    /// <summary>For a Collect: its number among the network's Collect elements (a session keeps one scratch list for each).</summary>
    public int CollectIndex { get; } = collectIndex;

    /// <summary>For a Collect: a new empty <c>List&lt;FactType&gt;</c>.</summary>
    public Func<System.Collections.IList>? NewCollection { get; } = kind == ElementKind.Collect ? Collections.New(factType) : null;

    /// <summary>For a Collect: a copy of a <c>List&lt;FactType&gt;</c>.</summary>
    public Func<System.Collections.IList, System.Collections.IList>? CopyCollection { get; } =
        kind == ElementKind.Collect ? Collections.Copy(factType) : null;

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

    /// <summary>How many of <see cref="IdentitySlots"/> come before element <paramref name="element"/>.</summary>
    public int IdentitySlotsBefore(int element)
    {
        var count = 0;
        while (count < IdentitySlots.Length && IdentitySlots[count] < element) count++;
        return count;
    }

    /// <summary>
    /// The memories a match needs a fact in (those of its Match and Exists elements), with the element's
    /// index: while one is empty the rule cannot match, and a session need not try to join it.
    /// </summary>
    public (int Element, int Memory)[] RequiredMemories { get; } = elements
        .Select((e, i) => (Element: e, Index: i))
        .Where(x => x.Element.Kind is ElementKind.Match or ElementKind.Exists && x.Element.Memory is not null)
        .Select(x => (x.Index, x.Element.Memory!.Id))
        .ToArray();

    /// <summary>Whether a tuple carries a collection, which must be refreshed while the activation waits.</summary>
    public bool HasCollect { get; } = elements.Any(e => e.Kind == ElementKind.Collect);

    /// <summary>Elements whose truth depends on all facts of a type, not one.</summary>
    public bool IsSetDependent(int element) => Elements[element].Kind is ElementKind.Not or ElementKind.Exists or ElementKind.Collect;
}

/// <summary>Typed list factories for Collect, made without compiling an expression.</summary>
internal static class Collections
{
    public static Func<System.Collections.IList> New(Type type) =>
        typeof(Collections).GetMethod(nameof(NewOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).CreateDelegate<Func<System.Collections.IList>>();

    public static Func<System.Collections.IList, System.Collections.IList> Copy(Type type) =>
        typeof(Collections).GetMethod(nameof(CopyOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).CreateDelegate<Func<System.Collections.IList, System.Collections.IList>>();

    private static System.Collections.IList NewOf<T>() => new List<T>();

    private static System.Collections.IList CopyOf<T>(System.Collections.IList list) => new List<T>((List<T>)list);
}
