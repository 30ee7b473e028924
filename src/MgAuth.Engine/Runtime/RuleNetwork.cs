using System.Collections.Concurrent;
using MgAuth.Engine.Compilation;
using MgAuth.Engine.Model;

namespace MgAuth.Engine;

/// <summary>
/// A compiled set of rules: immutable and safe to share between threads. Each request gets its own
/// cheap <see cref="Session"/> from it.
/// </summary>
public sealed class RuleNetwork
{
    private readonly ConcurrentDictionary<Type, TypePlan> _plans = new();

    internal RuleNetwork(CompiledRule[] rules, AlphaMemoryNode[] memories, AlphaNode[] alphaNodes, int collectCount)
    {
        CollectCount = collectCount;
        Rules = rules;
        Memories = memories;
        AlphaNodes = alphaNodes;
        foreach (var memory in memories) memory.Seal();
        RulesWithoutMatch = rules.Where(r => r.IdentitySlots.Length == 0).ToArray();
        MaxElements = rules.Length == 0 ? 0 : rules.Max(r => r.Elements.Length);
    }

    internal CompiledRule[] Rules { get; }
    internal AlphaMemoryNode[] Memories { get; }
    internal AlphaNode[] AlphaNodes { get; }

    /// <summary>Rules that bind no fact (only Not, Exists, Collect, Having): a session evaluates them when it starts.</summary>
    internal CompiledRule[] RulesWithoutMatch { get; }

    /// <summary>How many Collect elements the rules have.</summary>
    internal int CollectCount { get; }

    /// <summary>The longest left-hand side: the size of a session's working tuple.</summary>
    internal int MaxElements { get; }

    public IReadOnlyList<RuleDefinition> Definitions => Rules.Select(r => r.Definition).ToArray();

    /// <summary>How many distinct alpha tests the network evaluates (shared conditions count once).</summary>
    public int AlphaTestCount => AlphaNodes.Length;

    public Session CreateSession(SessionOptions? options = null) => new(this, options ?? SessionOptions.Default);

    /// <summary>
    /// A working memory prepared once with facts that every session of a kind starts with (a policy's
    /// parameters and lists, say): its sessions skip inserting and matching them again.
    /// </summary>
    public SessionTemplate Prepare(IEnumerable<object> facts)
    {
        var seed = CreateSession();
        seed.InsertAll(facts);
        return new SessionTemplate(seed);
    }

    internal TypePlan PlanFor(Type type) => _plans.GetOrAdd(type, static (t, network) => TypePlan.Build(t, network), this);
}

/// <summary>For one concrete fact type: which alpha tests to run and which memories it may enter.</summary>
internal sealed class TypePlan
{
    private TypePlan(AlphaNode[] tests, (AlphaMemoryNode Memory, int[] TestIndexes)[] memories)
    {
        Tests = tests;
        Memories = memories;
    }

    public AlphaNode[] Tests { get; }
    public (AlphaMemoryNode Memory, int[] TestIndexes)[] Memories { get; }

    public static TypePlan Build(Type type, RuleNetwork network)
    {
        var memories = network.Memories.Where(m => m.FactType.IsAssignableFrom(type)).ToArray();
        var tests = memories.SelectMany(m => m.Tests).Distinct().OrderBy(t => t.Id).ToArray();
        var index = tests.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        return new TypePlan(tests, memories.Select(m => (m, m.Tests.Select(t => index[t]).ToArray())).ToArray());
    }
}
