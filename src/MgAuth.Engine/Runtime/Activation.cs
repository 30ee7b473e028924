using System.Runtime.CompilerServices;
using MgAuth.Engine.Compilation;

namespace MgAuth.Engine;

internal enum ActivationState { Pending, Fired, Cancelled }

/// <summary>A rule matched to one tuple of facts, waiting on the agenda.</summary>
internal sealed class Activation(CompiledRule rule, object?[] slots, long sequence)
{
    public CompiledRule Rule { get; } = rule;
    public object?[] Slots { get; set; } = slots;
    public long Sequence { get; } = sequence;
    public ActivationState State { get; set; }

    /// <summary>The last reconciliation that found this activation's tuple still holding.</summary>
    public int Stamp { get; set; }

    /// <summary>Links in the list of the rule's pending activations.</summary>
    public Activation? NextPending { get; set; }
    public Activation? PreviousPending { get; set; }
    public ActivationKey Key => new(Rule, Slots);
}

/// <summary>A rule and the identities of the facts it matched: a rule fires at most once per key.</summary>
internal readonly struct ActivationKey(CompiledRule rule, object?[] slots) : IEquatable<ActivationKey>
{
    public CompiledRule Rule { get; } = rule;
    public object?[] Slots { get; } = slots;

    public bool Contains(object fact)
    {
        foreach (var slot in Rule.IdentitySlots)
            if (ReferenceEquals(Slots[slot], fact)) return true;
        return false;
    }

    public bool Equals(ActivationKey other)
    {
        if (Rule != other.Rule) return false;
        foreach (var slot in Rule.IdentitySlots)
            if (!ReferenceEquals(Slots[slot], other.Slots[slot])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is ActivationKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = Rule.Index;
        foreach (var slot in Rule.IdentitySlots)
            hash = hash * 31 + RuntimeHelpers.GetHashCode(Slots[slot]!);
        return hash;
    }
}

/// <summary>Orders activations: higher priority first, then the order they arose.</summary>
internal sealed class AgendaOrder : IComparer<Activation>
{
    public static AgendaOrder Instance { get; } = new();

    public int Compare(Activation? x, Activation? y)
    {
        var byPriority = y!.Rule.Definition.Priority.CompareTo(x!.Rule.Definition.Priority);
        return byPriority != 0 ? byPriority : x.Sequence.CompareTo(y.Sequence);
    }
}
