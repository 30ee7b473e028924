using System.Collections;
using System.Linq.Expressions;
using MgAuth.Domain.Decisions;
using NRules;
using NRules.RuleModel;

namespace MgAuth.RulePacks;

/// <summary>
/// Why not, on demand and after firing: each rule that did not fire has its left-hand side, as
/// its author wrote it (NRules' <see cref="IRuleDefinition"/>, not the network, which reorders
/// and shares conditions), evaluated against the session's facts. The answer is the failure
/// reached deepest — latest pattern, then latest condition — with the values it saw.
/// </summary>
internal static class WhyNotExplainer
{
    public static IReadOnlyList<WhyNot> Explain(RulePack pack, IEnumerable<string> fired, ISession session)
    {
        var firedRules = fired.ToHashSet(StringComparer.Ordinal);
        var facts = new FactsByType(session.Query<object>().ToArray());
        return pack.Rules.Where(r => !firedRules.Contains(r.Name)).Select(r => Explain(r, facts)).ToArray();
    }

    private static WhyNot Explain(PackRule rule, FactsByType facts)
    {
        var search = new Search(ExplainableRule.Of(rule), facts);
        search.Walk(0, []);
        return search.Best ?? new WhyNot(rule.Name, rule.PolicyRef, search.Steps, "", null,
            "every condition holds, but the activation was cancelled or refracted before it fired", new Dictionary<string, object?>());
    }

    /// <summary>The session's facts of each type, found once and shared by the explanations of one session.</summary>
    private sealed class FactsByType(object[] facts)
    {
        private readonly Dictionary<Type, object[]> _byType = [];

        public object[] Of(Type type)
        {
            if (!_byType.TryGetValue(type, out var found))
                _byType[type] = found = facts.Where(type.IsInstanceOfType).ToArray();
            return found;
        }
    }

    private sealed class Search(ExplainableRule rule, FactsByType facts)
    {
        private (int Step, int Condition) _depth = (-1, -1);

        public WhyNot? Best { get; private set; }
        public int Steps => rule.Steps.Length;

        public bool Walk(int index, Dictionary<string, object?> bound)
        {
            if (index == rule.Steps.Length) return true;
            var step = rule.Steps[index];
            var candidates = facts.Of(step.FactType);
            switch (step.Kind)
            {
                case StepKind.Match:
                case StepKind.Exists:
                    if (candidates.Length == 0)
                        Record(index, -1, step.Pattern, null, $"no {step.FactType.Name} fact is in the session", []);
                    foreach (var fact in candidates)
                    {
                        var next = With(bound, step.Name, fact);
                        if (!FirstFailure(index, step.Pattern, step.Conditions, next)) continue;
                        // Exists binds nothing: one fact that satisfies it is enough.
                        if (step.Kind == StepKind.Exists) return Walk(index + 1, bound);
                        if (Walk(index + 1, next)) return true;
                    }
                    return false;
                case StepKind.Not:
                    foreach (var fact in candidates)
                    {
                        var next = With(bound, step.Name, fact);
                        if (!step.Conditions.All(c => c.Holds(next))) continue;
                        Record(index, step.Conditions.Length, step.Pattern, null,
                            $"a {step.FactType.Name} fact exists that the rule requires to be absent",
                            step.Conditions.SelectMany(c => c.Observe(next)).DistinctBy(v => v.Key).ToArray());
                        return false;
                    }
                    return Walk(index + 1, bound);
                default:
                    var items = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(step.FactType))!;
                    foreach (var fact in candidates)
                        if (step.Conditions.All(c => c.Holds(With(bound, step.ItemName, fact)))) items.Add(fact);
                    var collected = With(bound, step.Name, items);
                    return FirstFailure(index, "Having", step.CollectionConditions, collected) && Walk(index + 1, collected);
            }
        }

        private static Dictionary<string, object?> With(Dictionary<string, object?> bound, string name, object? value) =>
            new(bound) { [name] = value };

        private bool FirstFailure(int index, string pattern, Condition[] conditions, Dictionary<string, object?> bound)
        {
            for (var c = 0; c < conditions.Length; c++)
            {
                if (conditions[c].Holds(bound)) continue;
                Record(index, c, pattern, conditions[c].Text, "the condition is false", conditions[c].Observe(bound));
                return false;
            }
            return true;
        }

        // Only a failure deeper than the best so far is kept.
        private void Record(int step, int condition, string pattern, string? text, string reason, IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            if (step < _depth.Step || (step == _depth.Step && condition <= _depth.Condition)) return;
            _depth = (step, condition);
            Best = new WhyNot(rule.Rule.Name, rule.Rule.PolicyRef, step, pattern, text, reason,
                values.ToDictionary(v => v.Key, v => v.Value));
        }
    }

    private enum StepKind { Match, Not, Exists, Collect }

    /// <summary>One pattern of the left-hand side in the author's order; a Collect carries its item and collection conditions.</summary>
    private sealed record Step(StepKind Kind, Type FactType, string Name, string ItemName, Condition[] Conditions, Condition[] CollectionConditions)
    {
        public string Pattern => $"{Kind} {FactType.Name}";
    }

    /// <summary>A rule's left-hand side made evaluable, compiled the first time explain needs it.</summary>
    private sealed class ExplainableRule
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PackRule, ExplainableRule> Cache = new();

        private ExplainableRule(PackRule rule)
        {
            Rule = rule;
            Steps = Flatten(rule.Definition.LeftHandSide).ToArray();
        }

        public PackRule Rule { get; }
        public Step[] Steps { get; }

        public static ExplainableRule Of(PackRule rule) => Cache.GetValue(rule, r => new ExplainableRule(r));

        private static IEnumerable<Step> Flatten(RuleElement element) => element switch
        {
            AndElement and => and.ChildElements.SelectMany(Flatten),
            NotElement { Source: PatternElement p } => [Pattern(StepKind.Not, p)],
            ExistsElement { Source: PatternElement p } => [Pattern(StepKind.Exists, p)],
            PatternElement { Source: AggregateElement { Source: var item } } p => [new Step(StepKind.Collect, item.ValueType, p.Declaration.Name,
                item.Declaration.Name, Conditions(item), Conditions(p))],
            PatternElement p => [Pattern(StepKind.Match, p)],
            _ => throw new NotSupportedException($"explain does not know the {element.ElementType} element"),
        };

        private static Step Pattern(StepKind kind, PatternElement p) =>
            new(kind, p.ValueType, p.Declaration.Name, p.Declaration.Name, Conditions(p), []);

        private static Condition[] Conditions(PatternElement p) => p.Expressions.Select(e => new Condition(e.Expression)).ToArray();
    }

    /// <summary>A condition over named facts: its parameters are the declarations it reads.</summary>
    private sealed class Condition(LambdaExpression lambda)
    {
        private readonly Lazy<Delegate> _compiled = new(lambda.Compile);

        // The values a failure shows, each compiled once, the first time explain reports this condition.
        private readonly Lazy<(string Text, Delegate Read)[]> _probes = new(() => ProbesOf(lambda));

        public string Text { get; } = lambda.Body.ToString();

        public bool Holds(Dictionary<string, object?> bound)
        {
            try
            {
                return (bool)_compiled.Value.DynamicInvoke(Arguments(lambda, bound))!;
            }
            catch (System.Reflection.TargetInvocationException)
            {
                return false;
            }
        }

        public IReadOnlyList<KeyValuePair<string, object?>> Observe(Dictionary<string, object?> bound) =>
            _probes.Value.Select(p => KeyValuePair.Create(p.Text, Read(p.Read, bound))).ToArray();

        private static (string, Delegate)[] ProbesOf(LambdaExpression lambda)
        {
            var finder = new ProbeFinder();
            finder.Visit(lambda.Body);
            var shown = finder.Probes.Count > 0 ? finder.Probes : finder.Bare;
            return shown.Select(p => (p.ToString(), Expression.Lambda(Expression.Convert(p, typeof(object)), lambda.Parameters).Compile())).ToArray();
        }

        private object? Read(Delegate probe, Dictionary<string, object?> bound)
        {
            try
            {
                var value = probe.DynamicInvoke(Arguments(lambda, bound));
                return value is IEnumerable items and not string ? $"{items.Cast<object>().Count()} item(s)" : Decider.Summarize(value);
            }
            catch (Exception e)
            {
                return $"<{(e.InnerException ?? e).GetType().Name}>";
            }
        }

        private static object?[] Arguments(LambdaExpression lambda, Dictionary<string, object?> bound) =>
            lambda.Parameters.Select(p => bound.GetValueOrDefault(p.Name!)).ToArray();
    }

    /// <summary>The member chains rooted at a declaration (<c>m.Age</c>, <c>p.Dose.VialGrams</c>): the values explain shows.</summary>
    private sealed class ProbeFinder : ExpressionVisitor
    {
        // Parameters of lambdas nested in the condition (f in failures.Any(f => …)) have no value outside it.
        private readonly HashSet<ParameterExpression> _nested = [];

        public List<Expression> Probes { get; } = [];

        /// <summary>Declarations used whole (<c>failures.Any(…)</c>): shown when nothing narrower is.</summary>
        public List<Expression> Bare { get; } = [];

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            _nested.UnionWith(node.Parameters);
            return base.VisitLambda(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (!_nested.Contains(node) && !Bare.Contains(node)) Bare.Add(node);
            return node;
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (!RootIsDeclaration(node)) return base.VisitMember(node);
            if (!Probes.Any(p => p.ToString() == node.ToString())) Probes.Add(node);
            return node;
        }

        private bool RootIsDeclaration(Expression? expression) => expression switch
        {
            ParameterExpression parameter => !_nested.Contains(parameter),
            MemberExpression member => RootIsDeclaration(member.Expression),
            _ => false,
        };
    }
}
