using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private readonly List<object> _facts;
    private readonly HashSet<object> _factSet;
    private readonly List<object>?[] _memories;
    private readonly List<object>?[]? _templateMemories; // shared with the template: copied before the first change
    private readonly Dictionary<ActivationKey, Activation> _activations; // pending and fired, by tuple
    private readonly Activation?[] _pendingOf;   // per rule: the first of its pending activations (a linked list)
    private readonly Activation?[] _pendingLast; // per rule: the last
    private readonly bool[] _ruleFired;
    private readonly PriorityQueue<Activation, Activation> _agenda = new(AgendaOrder.Instance);
    private readonly List<FiredRule> _trace = [];
    private readonly ActionContext _context;
    private readonly List<CompiledRule> _dirty = [];
    private readonly bool[] _isDirty;
    // Join scratch. A join runs no user code that could re-enter the session (conditions are pure
    // expressions), so one working tuple serves every join. Tuples found and activations lost are
    // pushed on _found and _lost, used as stacks: a call re-entered from an event handler (while the
    // outer call raises its events) works above the outer call's range and pops its own.
    private readonly object?[] _work;
    private readonly IList?[] _collections;
    private readonly List<object?[]> _found = [];
    private readonly List<Activation> _lost = [];
    private int _stamp;
    private readonly int[] _changed;                 // per dirty rule: the element that changed, or Everything
    private readonly List<object?> _prefixes = [];   // affected partial matches of a reconciliation (their matched facts)
    private int _affected;                           // how many the current reconciliation pushed
    private const int Everything = -1;
    private Type? _lastType;
    private TypePlan? _lastPlan;
    private long _sequence;
    private int _firings;
    private IReadOnlyList<RuleExplanation>? _explanations;

    internal Session(RuleNetwork network, SessionOptions options) : this(network, options, template: null)
    {
        // A rule with no Match pattern (only Not, Exists, Collect, Having) may hold before any fact
        // arrives, and no insert into a Match memory would ever wake it: evaluate it now.
        foreach (var rule in network.RulesWithoutMatch) MarkDirty(rule, Everything);
        ReconcileDirty(null);
    }

    // A session that starts where a template's (never fired) session stands: the same facts, memories
    // and pending activations, as if it had inserted the template's facts itself, minus their events.
    // The template's memories are shared until this session changes one; its activations are copied.
    internal Session(Session template, Activation[] pendingInOrder, SessionOptions options) : this(template._network, options, template)
    {
        _stamp = template._stamp;
        _sequence = template._sequence;
        foreach (var pending in pendingInOrder)
        {
            var activation = new Activation(pending.Rule, (object?[])pending.Slots.Clone(), pending.Sequence) { Stamp = pending.Stamp };
            _activations.Add(activation.Key, activation);
            Append(activation);
            _agenda.Enqueue(activation, activation);
        }
    }

    private Session(RuleNetwork network, SessionOptions options, Session? template)
    {
        _network = network;
        _options = options;
        var rules = network.Rules.Length;
        if (template is null)
        {
            _facts = [];
            _factSet = new(ReferenceEqualityComparer.Instance);
            _memories = new List<object>?[network.Memories.Length];
        }
        else
        {
            _facts = new List<object>(template._facts.Count + 32);
            _facts.AddRange(template._facts);
            _factSet = new HashSet<object>(template._factSet, ReferenceEqualityComparer.Instance);
            _templateMemories = template._memories;
            _memories = (List<object>?[])template._memories.Clone();
        }
        _activations = [];
        _pendingOf = new Activation?[rules];
        _pendingLast = new Activation?[rules];
        _ruleFired = new bool[rules];
        _isDirty = new bool[rules];
        _changed = new int[rules];
        _work = new object?[network.MaxElements];
        _collections = new IList?[network.CollectCount];
        _context = new ActionContext(this);
    }

    /// <summary>For a template: its pending activations (it never fires) in the order they arose.</summary>
    internal Activation[] PendingInOrder() => _activations.Values.OrderBy(a => a.Sequence).ToArray();

    public SessionEvents Events { get; } = new();

    /// <summary>Every rule that fired, in order (empty unless <see cref="SessionOptions.Trace"/>).</summary>
    public IReadOnlyList<FiredRule> Trace => _trace;

    /// <summary>Why each rule that did not fire did not (null unless <see cref="SessionOptions.Explain"/>, filled by <see cref="Fire"/>).</summary>
    public IReadOnlyList<RuleExplanation>? Explanations => _explanations;

    public int FiringCount => _firings;

    /// <summary>How many facts are in working memory.</summary>
    public int FactCount => _facts.Count;

    public void Insert(object fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (!_factSet.Add(fact))
            throw new InvalidOperationException($"This {fact.GetType().Name} is already in the session.");
        _facts.Add(fact);
        Events.OnFactInserted(fact);

        var plan = PlanFor(fact.GetType());
        Span<bool> passed = plan.Tests.Length <= 64 ? stackalloc bool[plan.Tests.Length] : new bool[plan.Tests.Length];
        for (var i = 0; i < plan.Tests.Length; i++)
            passed[i] = plan.Tests[i].Test(fact);

        foreach (var (memory, tests) in plan.Memories)
        {
            if (!AllPassed(passed, tests)) continue;
            OwnMemory(memory.Id).Add(fact);
            foreach (var (rule, element, setDependent) in memory.Users)
            {
                if (setDependent) MarkDirty(rule, element);
                else if (!_isDirty[rule.Index]) JoinAndActivate(rule, element, fact);
                else _changed[rule.Index] = Everything; // the reconciliation must also find this fact's matches
            }
        }
        ReconcileDirty(fact);
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

        foreach (var (memory, _) in PlanFor(fact.GetType()).Memories)
        {
            if (_memories[memory.Id] is null || !RemoveSame(OwnMemory(memory.Id), fact)) continue;
            foreach (var (rule, element, setDependent) in memory.Users)
            {
                if (setDependent) MarkDirty(rule, element);
                else CancelContaining(rule, fact);
            }
        }
        ReconcileDirty(fact);
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
            Unlink(activation); // stays in _activations, as fired: a rule fires once per tuple
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

    /// <summary>Every fact in working memory, in the order inserted.</summary>
    public IReadOnlyList<object> Facts => _facts;

    /// <summary>Facts of a type (or derived from it) in the order they were inserted.</summary>
    public IEnumerable<T> Query<T>() where T : class
    {
        foreach (var fact in _facts)
            if (fact is T typed) yield return typed;
    }

    /// <summary>For every rule that has not fired, the first condition that failed and what it saw.</summary>
    public IReadOnlyList<RuleExplanation> Explain()
    {
        var facts = new Explainer.FactsByType(_facts);
        return _network.Rules.Where(r => !_ruleFired[r.Index]).Select(r => Explainer.Explain(r, facts)).ToArray();
    }

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

    // A memory this session may change: its own, never the template's it started with.
    private List<object> OwnMemory(int id)
    {
        var memory = _memories[id];
        if (memory is null) return _memories[id] = [];
        if (_templateMemories is not null && ReferenceEquals(memory, _templateMemories[id]))
            _memories[id] = memory = [.. memory];
        return memory;
    }

    // Facts usually come in runs of one type: remember the last plan and skip the network's lookup.
    private TypePlan PlanFor(Type type)
    {
        if (type != _lastType)
        {
            _lastPlan = _network.PlanFor(type);
            _lastType = type;
        }
        return _lastPlan!;
    }

    private static bool AllPassed(Span<bool> passed, int[] tests)
    {
        foreach (var t in tests)
            if (!passed[t]) return false;
        return true;
    }

    /// <summary>For tests: reconcile every dirty rule in full, the reference the targeted reconciliation must agree with.</summary>
    internal bool ReconcileFully { get; set; }

    // A rule's Not, Exists or Collect element saw the fact being inserted or retracted. Only that
    // element's outcome can change, and only for partial matches the fact relates to: the rule is
    // reconciled for those alone, unless more than one of its elements changed (then, everything).
    private void MarkDirty(CompiledRule rule, int element)
    {
        if (ReconcileFully) element = Everything;
        if (_isDirty[rule.Index])
        {
            _changed[rule.Index] = Everything;
            return;
        }
        _isDirty[rule.Index] = true;
        _changed[rule.Index] = element;
        _dirty.Add(rule);
    }

    private void ReconcileDirty(object? fact)
    {
        if (_dirty.Count == 0) return;
        foreach (var rule in _dirty)
        {
            Reconcile(rule, _changed[rule.Index], fact);
            _isDirty[rule.Index] = false;
        }
        _dirty.Clear();
    }

    // The new fact enters at one element; every tuple through it is a new match.
    private void JoinAndActivate(CompiledRule rule, int pinned, object fact)
    {
        if (!CanMatch(rule, pinned)) return;
        var found = _found.Count;
        (_pinned, _pinnedFact, _joinStamp, _changedElement, _changedFact) = (pinned, fact, 0, Everything, null);
        Join(rule, 0, _work);
        var end = _found.Count;
        for (var i = found; i < end; i++) Activate(rule, _found[i]);
        _found.RemoveRange(found, end - found);
    }

    // A Not, Exists or Collect element saw its fact set change: recompute the rule's matches and
    // bring the agenda in line (new matches activate, lost ones are cancelled, collections refresh).
    // With a changed element, only the partial matches (up to that element) that the changed fact
    // satisfies the element's conditions for are recomputed; the outcome of every other is unchanged.
    private void Reconcile(CompiledRule rule, int changed, object? fact)
    {
        // No match is possible and none is pending: nothing to find, nothing to cancel or refresh.
        if (_pendingOf[rule.Index] is null && !CanMatch(rule, Everything)) return;
        var stamp = ++_stamp;
        var found = _found.Count;
        var prefixes = _prefixes.Count;
        _affected = 0;
        (_pinned, _pinnedFact, _joinStamp, _changedElement, _changedFact) = (-1, null, stamp, changed, fact);
        Join(rule, 0, _work);
        var foundEnd = _found.Count;
        var affected = _affected;

        var lost = _lost.Count;
        for (var activation = _pendingOf[rule.Index]; activation is not null; activation = activation.NextPending)
            if (activation.Stamp != stamp && (changed == Everything || InAffected(rule, activation, changed, prefixes, affected)))
                _lost.Add(activation);
        var lostEnd = _lost.Count;
        _prefixes.RemoveRange(prefixes, _prefixes.Count - prefixes);

        for (var i = found; i < foundEnd; i++) Activate(rule, _found[i]);
        for (var i = lost; i < lostEnd; i++) Cancel(_lost[i]);
        _found.RemoveRange(found, foundEnd - found);
        _lost.RemoveRange(lost, lostEnd - lost);
    }

    // A match needs a fact in every Match and Exists memory (the pinned element has its fact already).
    private bool CanMatch(CompiledRule rule, int pinned)
    {
        foreach (var (element, memory) in rule.RequiredMemories)
            if (element != pinned && _memories[memory] is not { Count: > 0 }) return false;
        return true;
    }

    // Whether the activation's tuple extends one of the affected partial matches (the facts matched
    // before the changed element, pushed on _prefixes from index start, `count` of them).
    private bool InAffected(CompiledRule rule, Activation activation, int changed, int start, int count)
    {
        var width = rule.IdentitySlotsBefore(changed);
        for (var p = 0; p < count; p++)
        {
            var same = true;
            for (var s = 0; s < width && same; s++)
                same = ReferenceEquals(activation.Slots[rule.IdentitySlots[s]], _prefixes[start + p * width + s]);
            if (same) return true;
        }
        return false;
    }

    private void CancelContaining(CompiledRule rule, object fact)
    {
        var lost = _lost.Count;
        for (var activation = _pendingOf[rule.Index]; activation is not null; activation = activation.NextPending)
            if (activation.Key.Contains(fact)) _lost.Add(activation);
        var lostEnd = _lost.Count;
        for (var i = lost; i < lostEnd; i++) Cancel(_lost[i]);
        _lost.RemoveRange(lost, lostEnd - lost);
    }

    private void Activate(CompiledRule rule, object?[] tuple)
    {
        var activation = new Activation(rule, tuple, _sequence++);
        _activations.Add(activation.Key, activation);
        Append(activation);
        _agenda.Enqueue(activation, activation);
        if (Events.WatchesActivations) Events.OnActivationCreated(activation);
    }

    // Appended, so a rule's pending activations are visited (and cancelled) oldest first.
    private void Append(Activation activation)
    {
        var rule = activation.Rule.Index;
        if (_pendingLast[rule] is { } last)
        {
            last.NextPending = activation;
            activation.PreviousPending = last;
        }
        else _pendingOf[rule] = activation;
        _pendingLast[rule] = activation;
    }

    private void Cancel(Activation activation)
    {
        if (activation.State != ActivationState.Pending) return; // already cancelled by a re-entrant call
        _activations.Remove(activation.Key);
        Unlink(activation);
        activation.State = ActivationState.Cancelled;
        if (Events.WatchesActivations) Events.OnActivationCancelled(activation);
    }

    private void Unlink(Activation activation)
    {
        if (activation.PreviousPending is { } previous) previous.NextPending = activation.NextPending;
        else _pendingOf[activation.Rule.Index] = activation.NextPending;
        if (activation.NextPending is { } next) next.PreviousPending = activation.PreviousPending;
        else _pendingLast[activation.Rule.Index] = activation.PreviousPending;
        activation.PreviousPending = activation.NextPending = null;
    }

    // A complete tuple in the working slots. One already pending is marked as still holding (stamp,
    // from Reconcile) and given its refreshed collections; one neither pending nor fired is new.
    private void Found(CompiledRule rule, object?[] slots, int stamp)
    {
        if (_activations.TryGetValue(new ActivationKey(rule, slots), out var existing))
        {
            if (stamp == 0 || existing.State != ActivationState.Pending) return;
            existing.Stamp = stamp;
            if (rule.HasCollect) existing.Slots = Keep(rule, slots);
            return;
        }
        _found.Add(Keep(rule, slots));
    }

    // A tuple to keep: the working slots copied, each collection copied out of its scratch list.
    private static object?[] Keep(CompiledRule rule, object?[] slots)
    {
        var tuple = slots.AsSpan(0, rule.Elements.Length).ToArray();
        if (rule.HasCollect)
            foreach (var element in rule.Elements)
                if (element.Kind == ElementKind.Collect)
                    tuple[element.Slot] = element.CopyCollection!((IList)tuple[element.Slot]!);
        return tuple;
    }

    // The current join: set by JoinAndActivate and Reconcile just before they call Join.
    private int _pinned, _joinStamp, _changedElement;
    private object? _pinnedFact, _changedFact;

    private void Join(CompiledRule rule, int index, object?[] slots)
    {
        if (index == rule.Elements.Length)
        {
            Found(rule, slots, _joinStamp);
            return;
        }
        var element = rule.Elements[index];
        if (index == _changedElement)
        {
            // Does the changed fact bear on this partial match? If not, its outcome is as it was.
            Set(slots, index, _changedFact);
            var bears = Holds(element.JoinTests, slots);
            Set(slots, index, null);
            if (!bears) return;
            foreach (var s in rule.IdentitySlots)
                if (s < index) _prefixes.Add(slots[s]);
            _affected++;
        }
        var memory = element.Memory is null ? null : _memories[element.Memory.Id];
        switch (element.Kind)
        {
            case ElementKind.Match when index == _pinned:
                Set(slots, index, _pinnedFact);
                if (Holds(element.JoinTests, slots)) Join(rule, index + 1, slots);
                break;
            case ElementKind.Match:
                if (memory is null) return;
                foreach (var fact in CollectionsMarshal.AsSpan(memory))
                {
                    Set(slots, index, fact);
                    if (Holds(element.JoinTests, slots)) Join(rule, index + 1, slots);
                }
                break;
            case ElementKind.Not or ElementKind.Exists:
                var any = AnyMatch(element, memory, slots);
                Set(slots, index, null);
                if (any == (element.Kind == ElementKind.Exists)) Join(rule, index + 1, slots);
                break;
            case ElementKind.Collect:
                // Collected into a scratch list: the tuple may fail a later element; Keep copies it if not.
                var list = _collections[element.CollectIndex] ??= element.NewCollection!();
                list.Clear();
                if (memory is not null)
                    foreach (var fact in CollectionsMarshal.AsSpan(memory))
                    {
                        Set(slots, index, fact);
                        if (Holds(element.JoinTests, slots)) list.Add(fact);
                    }
                Set(slots, index, list);
                Join(rule, index + 1, slots);
                break;
            case ElementKind.Having:
                Set(slots, index, null);
                if (Holds(element.JoinTests, slots)) Join(rule, index + 1, slots);
                break;
        }
        Set(slots, index, null);
    }

    private static bool AnyMatch(CompiledElement element, List<object>? memory, object?[] slots)
    {
        if (memory is null) return false;
        foreach (var fact in CollectionsMarshal.AsSpan(memory))
        {
            Set(slots, element.Slot, fact);
            if (Holds(element.JoinTests, slots)) return true;
        }
        return false;
    }

    // The working tuple is an object?[] the session allocated itself, so a store needs no covariance check.
    private static void Set(object?[] slots, int index, object? value) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slots), index) = value;

    private static bool Holds(Func<object?[], bool>[] tests, object?[] slots)
    {
        foreach (var test in tests)
            if (!test(slots)) return false;
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
