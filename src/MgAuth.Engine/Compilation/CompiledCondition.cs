using System.Linq.Expressions;

namespace MgAuth.Engine.Compilation;

/// <summary>A test on one fact alone: the shared first stage of matching.</summary>
internal sealed class AlphaNode(int id, string key, Type factType, Func<object, bool> test)
{
    public int Id { get; } = id;
    public string Key { get; } = key;
    public Type FactType { get; } = factType;
    public Func<object, bool> Test { get; } = test;
}

/// <summary>Facts of one type that pass the same set of alpha tests; shared by every pattern with that set.</summary>
internal sealed class AlphaMemoryNode(int id, Type factType, AlphaNode[] tests)
{
    public int Id { get; } = id;
    public Type FactType { get; } = factType;
    public AlphaNode[] Tests { get; } = tests;
    private readonly List<(CompiledRule Rule, int Element, bool SetDependent)> _users = [];

    /// <summary>The rule elements fed by this memory, and whether each depends on the whole set (Not, Exists, Collect).</summary>
    public (CompiledRule Rule, int Element, bool SetDependent)[] Users { get; private set; } = [];

    public void AddUser(CompiledRule rule, int element) => _users.Add((rule, element, rule.IsSetDependent(element)));

    /// <summary>Fixes <see cref="Users"/> once compilation is done.</summary>
    public void Seal() => Users = _users.ToArray();
}

/// <summary>A value shown by explain: its text and how to read it from a tuple.</summary>
internal sealed record Probe(string Text, Func<object?[], object?> Read);

internal sealed class CompiledCondition
{
    private readonly Func<object?[], bool>? _join;
    private readonly Lazy<Probe[]> _probes;

    public CompiledCondition(string text, AlphaNode? alpha, int selfSlot, Func<object?[], bool>? join, Func<Probe[]> probes)
    {
        Text = text;
        Alpha = alpha;
        SelfSlot = selfSlot;
        _join = join;
        _probes = new Lazy<Probe[]>(probes, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Text { get; }

    /// <summary>Set when the condition looks at its own fact only.</summary>
    public AlphaNode? Alpha { get; }

    public int SelfSlot { get; }

    /// <summary>Probes are compiled only when explain first needs them.</summary>
    public Probe[] Probes => _probes.Value;

    public bool Evaluate(object?[] slots) => Alpha is not null ? Alpha.Test(slots[SelfSlot]!) : _join!(slots);

    /// <summary>The compiled test over a tuple, for a condition that is not an alpha test.</summary>
    public Func<object?[], bool>? JoinTest => _join;

    public static Func<Probe[]> ProbesOf(Expression displayBody, Func<Expression, Func<object?[], object?>> bind) => () =>
    {
        var finder = new ProbeFinder();
        finder.Visit(displayBody);
        var shown = finder.Probes.Count > 0 ? finder.Probes : finder.Bare;
        return shown.Select(p => new Probe(p.ToString(), bind(p))).ToArray();
    };
}
