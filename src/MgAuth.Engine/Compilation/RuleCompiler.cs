using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using MgAuth.Engine.Dsl;
using MgAuth.Engine.Model;

namespace MgAuth.Engine.Compilation;

/// <summary>Turns rule definitions into a <see cref="RuleNetwork"/>: conditions become delegates, identical alpha tests are shared.</summary>
public static class RuleCompiler
{
    public static RuleNetwork Compile(IEnumerable<Rule> rules) => Compile(rules.Select(r => r.GetDefinition()));

    public static RuleNetwork Compile(IEnumerable<RuleDefinition> definitions)
    {
        var state = new State();
        var compiled = new List<CompiledRule>();
        foreach (var definition in definitions)
        {
            if (compiled.Any(r => r.Definition.Name == definition.Name))
                throw new RuleCompilationException(definition.Name, null, "another rule has the same name");
            compiled.Add(CompileRule(compiled.Count, definition, state));
        }
        return new RuleNetwork(compiled.ToArray(), state.Memories.Values.ToArray(), state.AlphaNodes.Values.ToArray(), state.CollectCount);
    }

    private sealed class State
    {
        public Dictionary<string, AlphaNode> AlphaNodes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, AlphaMemoryNode> Memories { get; } = new(StringComparer.Ordinal);
        public int CollectCount { get; set; }
    }

    private static CompiledRule CompileRule(int index, RuleDefinition definition, State state)
    {
        var slots = Expression.Parameter(typeof(object[]), "slots");
        var aliasParameters = new Dictionary<MemberInfo, ParameterExpression>();
        var slotOf = new Dictionary<ParameterExpression, int>();
        var elements = new List<CompiledElement>();
        var pending = new List<(int Slot, RuleElement Element, ParameterExpression? Alias)>();

        for (var slot = 0; slot < definition.LeftHandSide.Count; slot++)
        {
            var element = definition.LeftHandSide[slot];
            ParameterExpression? alias = null;
            if (element.Declaration is { } declaration)
            {
                alias = Expression.Parameter(declaration.Type, declaration.Name);
                slotOf[alias] = slot;
                aliasParameters[declaration.Member] = alias;
            }
            pending.Add((slot, element, alias));
        }

        var bound = new HashSet<ParameterExpression>();
        foreach (var (slot, element, alias) in pending)
        {
            var conditions = new List<CompiledCondition>();
            var alphaNodes = new List<AlphaNode>();
            foreach (var lambda in element.Conditions)
            {
                var condition = CompileCondition(definition.Name, element, slot, lambda, aliasParameters, slotOf, bound, slots, state);
                conditions.Add(condition);
                if (condition.Alpha is not null) alphaNodes.Add(condition.Alpha);
            }

            AlphaMemoryNode? memory = null;
            if (element.Kind != ElementKind.Having)
                memory = MemoryFor(element.FactType, alphaNodes, state);

            var collectIndex = element.Kind == ElementKind.Collect ? state.CollectCount++ : -1;
            var name = element.Declaration?.Name ?? (element.Kind == ElementKind.Match ? element.FactType.Name : null);
            elements.Add(new CompiledElement(element.Kind, element.FactType, slot, name, memory, conditions.ToArray(), collectIndex));

            // An alias becomes visible to the elements after the one that declares it.
            if (alias is not null)
                bound.Add(alias);
        }

        var actions = definition.RightHandSide
            .Select(a => CompileAction(definition.Name, a, aliasParameters, slotOf, slots))
            .ToArray();
        var rule = new CompiledRule(index, definition, elements.ToArray(), actions);
        for (var i = 0; i < rule.Elements.Length; i++)
            rule.Elements[i].Memory?.AddUser(rule, i);
        return rule;
    }

    private static CompiledCondition CompileCondition(string rule, RuleElement element, int slot, LambdaExpression lambda,
        Dictionary<MemberInfo, ParameterExpression> aliases, Dictionary<ParameterExpression, int> slotOf,
        HashSet<ParameterExpression> bound, ParameterExpression slots, State state)
    {
        var rewriter = new AliasRewriter(aliases);
        var body = rewriter.Visit(lambda.Body);
        var self = lambda.Parameters.Count == 1 ? lambda.Parameters[0] : null;
        var text = self is null ? body.ToString() : $"{self.Name} => {body}";

        if (body.Type != typeof(bool))
            throw new RuleCompilationException(rule, text, "a condition must be a bool expression");
        var unbound = rewriter.Used.Where(p => !bound.Contains(p)).Select(p => p.Name).ToArray();
        if (unbound.Length > 0)
            throw new RuleCompilationException(rule, text, $"refers to '{string.Join("', '", unbound)}' before it is matched");
        if (ReferencesUndeclaredAlias(body))
            throw new RuleCompilationException(rule, text, "refers to a captured variable that is not a matched alias");

        var bindings = new Dictionary<ParameterExpression, int>(slotOf);
        if (self is not null) bindings[self] = slot;

        Func<object?[], object?> BindProbe(Expression probe)
        {
            var read = new SlotBinder(bindings, slots).Visit(Expression.Convert(probe, typeof(object)));
            return Expression.Lambda<Func<object?[], object?>>(read, slots).Compile();
        }
        var probes = CompiledCondition.ProbesOf(body, BindProbe);

        try
        {
            if (self is not null && rewriter.Used.Count == 0)
                return new CompiledCondition(text, AlphaNodeFor(element.FactType, self, body, state), slot, null, probes);

            var bound1 = ClosedLambdaHoister.Hoist(new SlotBinder(bindings, slots).Visit(body));
            var join = Expression.Lambda<Func<object?[], bool>>(bound1, slots).Compile();
            return new CompiledCondition(text, null, slot, join, probes);
        }
        catch (Exception e) when (e is not RuleCompilationException)
        {
            throw new RuleCompilationException(rule, text, e.Message, e);
        }
    }

    // Closure fields left after alias rewriting are variables captured by the rule but never matched:
    // allowed only when they hold constants the compiler put there (not aliases the author forgot to match).
    private static bool ReferencesUndeclaredAlias(Expression body)
    {
        var finder = new ClosureFinder();
        finder.Visit(body);
        return finder.Found;
    }

    private sealed class ClosureFinder : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is ConstantExpression { Value: not null } constant
                && constant.Type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false)
                && node.Member is FieldInfo field && !field.FieldType.IsValueType && field.FieldType != typeof(string))
                Found = true;
            return base.VisitMember(node);
        }
    }

    private static AlphaNode AlphaNodeFor(Type factType, ParameterExpression self, Expression body, State state)
    {
        // Identical tests on the same fact type share one node, unless they capture a value we cannot compare by text.
        var normal = new ParameterRenamer(self).Visit(body).ToString();
        var key = $"{factType.FullName}|{normal}";
        if (normal.Contains("value(", StringComparison.Ordinal))
            key = $"{key}#{state.AlphaNodes.Count}";
        if (state.AlphaNodes.TryGetValue(key, out var existing))
            return existing;

        var fact = Expression.Parameter(typeof(object), "fact");
        var typed = ClosedLambdaHoister.Hoist(new ParameterReplacer(self, Expression.Convert(fact, factType)).Visit(body));
        var test = Expression.Lambda<Func<object, bool>>(typed, fact).Compile();
        var node = new AlphaNode(state.AlphaNodes.Count, key, factType, test);
        state.AlphaNodes[key] = node;
        return node;
    }

    private static AlphaMemoryNode MemoryFor(Type factType, List<AlphaNode> tests, State state)
    {
        var ordered = tests.Distinct().OrderBy(t => t.Id).ToArray();
        var key = $"{factType.FullName}|{string.Join(",", ordered.Select(t => t.Id))}";
        if (!state.Memories.TryGetValue(key, out var memory))
            state.Memories[key] = memory = new AlphaMemoryNode(state.Memories.Count, factType, ordered);
        return memory;
    }

    private static Action<IContext, object?[]> CompileAction(string rule, ActionElement action,
        Dictionary<MemberInfo, ParameterExpression> aliases, Dictionary<ParameterExpression, int> slotOf, ParameterExpression slots)
    {
        var rewriter = new AliasRewriter(aliases);
        var body = rewriter.Visit(action.Expression.Body);
        var context = action.Expression.Parameters[0];
        if (ReferencesUndeclaredAlias(body))
            throw new RuleCompilationException(rule, body.ToString(), "the action refers to a captured variable that is not a matched alias");
        try
        {
            var bound = ClosedLambdaHoister.Hoist(new SlotBinder(slotOf, slots).Visit(body));
            return Expression.Lambda<Action<IContext, object?[]>>(bound, context, slots).Compile();
        }
        catch (Exception e)
        {
            throw new RuleCompilationException(rule, body.ToString(), e.Message, e);
        }
    }

    private sealed class ParameterRenamer(ParameterExpression from) : ExpressionVisitor
    {
        private readonly ParameterExpression _to = Expression.Parameter(from.Type, "_");

        protected override Expression VisitParameter(ParameterExpression node) => node == from ? _to : node;
    }

    private sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
