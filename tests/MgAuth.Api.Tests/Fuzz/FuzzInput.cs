namespace MgAuth.Api.Tests.Fuzz;

/// <summary>What one step does to the request (see <see cref="RequestMutator"/>).</summary>
public enum MutationKind
{
    WrongType,
    Null,
    HugeNumber,
    NegativeNumber,
    EdgeValue,
    DeepNesting,
    LongString,
    Unicode,
    DuplicateKey,
    RemoveField,
    ExtraField,
    Truncate,
    ReplaceBody,
}

/// <summary>
/// One mutation: <paramref name="Target"/> picks the node (modulo the number of nodes, in document order, the root
/// first), <paramref name="Variant"/> picks among the kind's values. Plain numbers, so a failing input prints as
/// something that can be pasted into a regression test.
/// </summary>
public sealed record MutationStep(MutationKind Kind, int Target, int Variant)
{
    public override string ToString() => $"new({nameof(MutationKind)}.{Kind}, {Target}, {Variant})";
}

/// <summary>An example request (examples/*.json) and the steps that mutate it, applied in order.</summary>
public sealed record FuzzInput(string Example, IReadOnlyList<MutationStep> Steps)
{
    public override string ToString() => $"\"{Example}\" with [{string.Join(", ", Steps)}]";
}
