using System.Collections;
using MgAuth.Engine.Compilation;
using MgAuth.Engine.Model;

namespace MgAuth.Engine.Diagnostics;

/// <summary>
/// Why-not: replays a rule's left-hand side over the session's facts, condition by condition, and
/// keeps the failure reached deepest (latest element, then latest condition) with the values it saw.
/// </summary>
internal static class Explainer
{
    public static RuleExplanation Explain(CompiledRule rule, IReadOnlyList<object> facts) => Explain(rule, new FactsByType(facts));

    public static RuleExplanation Explain(CompiledRule rule, FactsByType facts)
    {
        var search = new Search(rule, facts);
        search.Walk(0, new object?[rule.Elements.Length]);
        return search.Best ?? new RuleExplanation(rule.Definition, rule.Elements.Length, ElementKind.Having, "",
            null, "every condition holds, but the activation was cancelled or refracted before it fired", []);
    }

    /// <summary>The session's facts of each type, found once and shared by the explanations of one session.</summary>
    internal sealed class FactsByType(IReadOnlyList<object> facts)
    {
        private readonly Dictionary<Type, object[]> _byType = [];

        public object[] Of(Type type)
        {
            if (!_byType.TryGetValue(type, out var found))
                _byType[type] = found = facts.Where(type.IsInstanceOfType).ToArray();
            return found;
        }
    }

    private sealed class Search(CompiledRule rule, FactsByType facts)
    {
        private (int Element, int Condition) _depth = (-1, -1);

        public RuleExplanation? Best { get; private set; }

        public bool Walk(int index, object?[] slots)
        {
            if (index == rule.Elements.Length) return true;
            var element = rule.Elements[index];
            var candidates = element.Kind == ElementKind.Having ? [] : facts.Of(element.FactType);
            switch (element.Kind)
            {
                case ElementKind.Match:
                    if (candidates.Length == 0 && Deeper(index, -1))
                        Record(index, -1, null, $"no {element.FactType.Name} fact is in the session", []);
                    foreach (var fact in candidates)
                    {
                        slots[index] = fact;
                        if (FirstFailure(index, slots) && Walk(index + 1, slots)) return true;
                    }
                    return false;
                case ElementKind.Exists:
                    if (candidates.Length == 0 && Deeper(index, -1))
                        Record(index, -1, null, $"no {element.FactType.Name} fact is in the session", []);
                    foreach (var fact in candidates)
                    {
                        slots[index] = fact;
                        if (FirstFailure(index, slots)) return Walk(index + 1, slots);
                    }
                    return false;
                case ElementKind.Not:
                    foreach (var fact in candidates)
                    {
                        slots[index] = fact;
                        if (Satisfies(element, slots))
                        {
                            if (Deeper(index, element.Conditions.Length))
                                Record(index, element.Conditions.Length, null,
                                    $"a {element.FactType.Name} fact exists that the rule requires to be absent",
                                    element.Conditions.SelectMany(c => Observe(c, slots)).Distinct().ToArray());
                            return false;
                        }
                    }
                    return Walk(index + 1, slots);
                case ElementKind.Collect:
                    var list = element.NewCollection!();
                    foreach (var fact in candidates)
                    {
                        slots[index] = fact;
                        if (Satisfies(element, slots)) list.Add(fact);
                    }
                    slots[index] = list;
                    return Walk(index + 1, slots);
                default:
                    return FirstFailure(index, slots) && Walk(index + 1, slots);
            }
        }

        private static bool Satisfies(CompiledElement element, object?[] slots)
        {
            foreach (var condition in element.Conditions)
                if (!condition.Evaluate(slots)) return false;
            return true;
        }

        private bool FirstFailure(int index, object?[] slots)
        {
            var element = rule.Elements[index];
            for (var c = 0; c < element.Conditions.Length; c++)
            {
                var condition = element.Conditions[c];
                if (condition.Evaluate(slots)) continue;
                if (Deeper(index, c))
                    Record(index, c, condition.Text, "the condition is false", Observe(condition, slots));
                return false;
            }
            return true;
        }

        // Only a failure deeper than the best so far is recorded (its values read, its text built).
        private bool Deeper(int element, int condition) =>
            element > _depth.Element || (element == _depth.Element && condition > _depth.Condition);

        private void Record(int element, int condition, string? text, string reason, IReadOnlyList<ObservedValue> values)
        {
            if (!Deeper(element, condition)) return;
            _depth = (element, condition);
            var e = rule.Elements[element];
            Best = new RuleExplanation(rule.Definition, element, e.Kind, e.FactType.Name, text, reason, values);
        }

        private static IReadOnlyList<ObservedValue> Observe(CompiledCondition condition, object?[] slots) =>
            condition.Probes.Select(p => new ObservedValue(p.Text, Read(p, slots))).ToArray();

        private static object? Read(Probe probe, object?[] slots)
        {
            try
            {
                var value = probe.Read(slots);
                return value is ICollection collection ? $"{collection.Count} item(s)" : value;
            }
            catch (Exception e)
            {
                return $"<{e.GetType().Name}>";
            }
        }
    }
}
