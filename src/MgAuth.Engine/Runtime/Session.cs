using System.Collections;
using MgAuth.Engine.Compilation;
using MgAuth.Engine.Diagnostics;
using MgAuth.Engine.Model;

namespace MgAuth.Engine;

/// <summary>
/// Working memory and agenda for one request. Single-threaded; create one per request from a shared
/// <see cref="RuleNetwork"/>.
/// </summary>
public sealed class Session
{
    private readonly RuleNetwork _network;
    private readonly SessionOptions _options;
    private readonly List<object> _facts = [];
    private readonly HashSet<object> _factSet = new(ReferenceEqualityComparer.Instance);
    private readonly List<object>?[] _memories;
    private readonly Dictionary<ActivationKey, Activation>?[] _pending;
    private readonly HashSet<ActivationKey> _fired = [];
    private readonly bool[] _ruleFired;
    private readonly PriorityQueue<Activation, Activation> _agenda = new(AgendaOrder.Instance);
    private readonly List<FiredRule> _trace = [];
    private readonly ActionContext _context;
    private readonly List<CompiledRule> _dirty = [];
    private readonly bool[] _isDirty;
    private long _sequence;
    private int _firings;
    private IReadOnlyList<RuleExplanation>? _explanations;

    internal Session(RuleNetwork network, SessionOptions options)
    {
        _network = network;
        _options = options;
        _memories = new List<object>?[network.Memories.Length];
        _pending = new Dictionary<ActivationKey, Activation>?[network.Rules.Length];
        _ruleFired = new bool[network.Rules.Length];
        _isDirty = new bool[network.Rules.Length];
        _context = new ActionContext(this);

        // A rule with no Match pattern (only Not, Exists, Collect, Having) may hold before any fact
        // arrives, and no insert into a Match memory would ever wake it: evaluate it now.
        foreach (var rule in network.RulesWithoutMatch) MarkDirty(rule);
        ReconcileDirty();
    }

    public SessionEvents Events { get; } = new();

    /// <summary>Every rule that fired, in order (empty unless <see cref="SessionOptions.Trace"/>).</summary>
    public IReadOnlyList<FiredRule> Trace => _trace;

    /// <summary>Why each rule that did not fire did not (null unless <see cref="SessionOptions.Explain"/>, filled by <see cref="Fire"/>).</summary>
    public IReadOnlyList<RuleExplanation>? Explanations => _explanations;

    public int FiringCount => _firings;

    public void Insert(object fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (!_factSet.Add(fact))
            throw new InvalidOperationException($"This {fact.GetType().Name} is already in the session.");
        _facts.Add(fact);
        Events.OnFactInserted(fact);

        var plan = _network.PlanFor(fact.GetType());
        Span<bool> passed = plan.Tests.Length <= 64 ? stackalloc bool[plan.Tests.Length] : new bool[plan.Tests.Length];
        for (var i = 0; i < plan.Tests.Length; i++)
            passed[i] = plan.Tests[i].Test(fact);

        foreach (var (memory, tests) in plan.Memories)
        {
            if (!AllPassed(passed, tests)) continue;
            (_memories[memory.Id] ??= []).Add(fact);
            foreach (var (rule, element) in memory.Users)
            {
                if (rule.IsSetDependent(element)) MarkDirty(rule);
                else if (!_isDirty[rule.Index]) JoinAndActivate(rule, element, fact);
            }
        }
        ReconcileDirty();
    }

    public void InsertAll(IEnumerable<object> facts)
    {
        foreach (var fact in facts) Insert(fact);
    }

    public void Retract(object fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (!_factSet.Remove(fact))
            throw new InvalidOperationException($"This {fact.GetType().Name} is not in the session.");
        RemoveSame(_facts, fact);
        Events.OnFactRetracted(fact);

        foreach (var (memory, _) in _network.PlanFor(fact.GetType()).Memories)
        {
            if (_memories[memory.Id] is not { } facts || !RemoveSame(facts, fact)) continue;
            foreach (var (rule, element) in memory.Users)
            {
                if (rule.IsSetDependent(element)) MarkDirty(rule);
                else CancelContaining(rule, fact);
            }
        }
        ReconcileDirty();
    }

    /// <summary>Fires activations until none is left; returns how many fired.</summary>
    public int Fire()
    {
        var fired = 0;
        while (_agenda.TryDequeue(out var activation, out _))
        {
            if (activation.State != ActivationState.Pending) continue;
            if (_firings >= _options.MaxFirings)
                throw new RuleFiringLimitExceededException(_options.MaxFirings, activation.Rule.Definition.Name);

            var rule = activation.Rule;
            var key = activation.Key;
            _pending[rule.Index]!.Remove(key);
            _fired.Add(key);
            activation.State = ActivationState.Fired;
            _ruleFired[rule.Index] = true;
            _firings++;
            fired++;
            if (_options.Trace) _trace.Add(new FiredRule(_firings, rule, activation.Slots));
            if (Events.WatchesFiring) Events.OnRuleFiring(activation);

            _context.Current = rule;
            foreach (var action in rule.Actions)
            {
                try { action(_context, activation.Slots); }
                catch (Exception e) when (e is not RuleFiringLimitExceededException and not RuleActionException)
                {
                    throw new RuleActionException(rule.Definition.Name, e);
                }
            }
            if (Events.WatchesFiring) Events.OnRuleFired(activation);
        }
        if (_options.Explain)
            _explanations = Explain();
        return fired;
    }

    /// <summary>Facts of a type (or derived from it) in the order they were inserted.</summary>
    public IEnumerable<T> Query<T>() where T : class
    {
        foreach (var fact in _facts)
            if (fact is T typed) yield return typed;
    }

    /// <summary>For every rule that has not fired, the first condition that failed and what it saw.</summary>
    public IReadOnlyList<RuleExplanation> Explain() =>
        _network.Rules.Where(r => !_ruleFired[r.Index]).Select(r => Explainer.Explain(r, _facts)).ToArray();

    // Facts are identified by reference (like _factSet): List.Remove would use Equals and, for records,
    // remove an equal-valued fact that is still in the session instead of this one.
    private static bool RemoveSame(List<object> list, object fact)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (!ReferenceEquals(list[i], fact)) continue;
            list.RemoveAt(i);
            return true;
        }
        return false;
    }

    private static bool AllPassed(Span<bool> passed, int[] tests)
    {
        foreach (var t in tests)
            if (!passed[t]) return false;
        return true;
    }

    private void MarkDirty(CompiledRule rule)
    {
        if (_isDirty[rule.Index]) return;
        _isDirty[rule.Index] = true;
        _dirty.Add(rule);
    }

    private void ReconcileDirty()
    {
        if (_dirty.Count == 0) return;
        foreach (var rule in _dirty)
        {
            Reconcile(rule);
            _isDirty[rule.Index] = false;
        }
        _dirty.Clear();
    }

    // The new fact enters at one element; every tuple through it is a new match.
    private void JoinAndActivate(CompiledRule rule, int pinned, object fact)
    {
        var found = new List<object?[]>();
        Join(rule, 0, new object?[rule.Elements.Length], pinned, fact, found);
        foreach (var tuple in found)
        {
            var key = new ActivationKey(rule, tuple);
            var pending = _pending[rule.Index];
            if ((pending is not null && pending.ContainsKey(key)) || _fired.Contains(key)) continue;
            Activate(rule, key, tuple);
        }
    }

    // A Not, Exists or Collect element saw its fact set change: recompute the rule's matches and
    // bring the agenda in line (new matches activate, lost ones are cancelled, collections refresh).
    private void Reconcile(CompiledRule rule)
    {
        var found = new List<object?[]>();
        Join(rule, 0, new object?[rule.Elements.Length], -1, null, found);
        var pending = _pending[rule.Index];
        var seen = new HashSet<ActivationKey>();
        foreach (var tuple in found)
        {
            var key = new ActivationKey(rule, tuple);
            if (!seen.Add(key)) continue;
            if (pending is not null && pending.TryGetValue(key, out var existing)) existing.Slots = tuple;
            else if (!_fired.Contains(key)) Activate(rule, key, tuple);
        }
        if (pending is null) return;
        List<ActivationKey>? lost = null;
        foreach (var key in pending.Keys)
            if (!seen.Contains(key)) (lost ??= []).Add(key);
        if (lost is not null)
            foreach (var key in lost) Cancel(pending, key);
    }

    private void CancelContaining(CompiledRule rule, object fact)
    {
        var pending = _pending[rule.Index];
        if (pending is null) return;
        foreach (var key in pending.Keys.Where(k => k.Contains(fact)).ToArray())
            Cancel(pending, key);
    }

    private void Activate(CompiledRule rule, ActivationKey key, object?[] tuple)
    {
        var activation = new Activation(rule, tuple, _sequence++);
        (_pending[rule.Index] ??= []).Add(key, activation);
        _agenda.Enqueue(activation, activation);
        if (Events.WatchesActivations) Events.OnActivationCreated(activation);
    }

    private void Cancel(Dictionary<ActivationKey, Activation> pending, ActivationKey key)
    {
        var activation = pending[key];
        pending.Remove(key);
        activation.State = ActivationState.Cancelled;
        if (Events.WatchesActivations) Events.OnActivationCancelled(activation);
    }

    private void Join(CompiledRule rule, int index, object?[] slots, int pinned, object? pinnedFact, List<object?[]> found)
    {
        if (index == rule.Elements.Length)
        {
            found.Add((object?[])slots.Clone());
            return;
        }
        var element = rule.Elements[index];
        var memory = element.Memory is null ? null : _memories[element.Memory.Id];
        switch (element.Kind)
        {
            case ElementKind.Match when index == pinned:
                slots[index] = pinnedFact;
                if (Holds(element.JoinConditions, slots)) Join(rule, index + 1, slots, pinned, pinnedFact, found);
                break;
            case ElementKind.Match:
                if (memory is null) return;
                foreach (var fact in memory)
                {
                    slots[index] = fact;
                    if (Holds(element.JoinConditions, slots)) Join(rule, index + 1, slots, pinned, pinnedFact, found);
                }
                break;
            case ElementKind.Not or ElementKind.Exists:
                var any = AnyMatch(element, memory, slots);
                slots[index] = null;
                if (any == (element.Kind == ElementKind.Exists)) Join(rule, index + 1, slots, pinned, pinnedFact, found);
                break;
            case ElementKind.Collect:
                var list = element.NewCollection!();
                if (memory is not null)
                    foreach (var fact in memory)
                    {
                        slots[index] = fact;
                        if (Holds(element.JoinConditions, slots)) list.Add(fact);
                    }
                slots[index] = list;
                Join(rule, index + 1, slots, pinned, pinnedFact, found);
                break;
            case ElementKind.Having:
                if (Holds(element.JoinConditions, slots)) Join(rule, index + 1, slots, pinned, pinnedFact, found);
                break;
        }
        slots[index] = null;
    }

    private static bool AnyMatch(CompiledElement element, List<object>? memory, object?[] slots)
    {
        if (memory is null) return false;
        foreach (var fact in memory)
        {
            slots[element.Slot] = fact;
            if (Holds(element.JoinConditions, slots)) return true;
        }
        return false;
    }

    private static bool Holds(CompiledCondition[] conditions, object?[] slots)
    {
        foreach (var condition in conditions)
            if (!condition.Evaluate(slots)) return false;
        return true;
    }

    private sealed class ActionContext(Session session) : IContext
    {
        public CompiledRule Current { get; set; } = null!;
        public RuleDefinition Rule => Current.Definition;
        public void Insert(object fact) => session.Insert(fact);
        public void Retract(object fact) => session.Retract(fact);
    }
}
