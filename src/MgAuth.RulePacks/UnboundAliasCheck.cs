using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using NRules.RuleModel;

namespace MgAuth.RulePacks;

/// <summary>
/// A rule's expressions may read only the facts it matched. NRules turns an alias into a declaration
/// only where it is matched; a local read before that (or never matched) stays a captured variable,
/// null at run time, so every decision would fail. Such a rule is refused when the pack loads.
/// </summary>
internal static class UnboundAliasCheck
{
    public static IEnumerable<string> Problems(PackRule rule)
    {
        var d = rule.Definition;
        var expressions = Expressions(d.LeftHandSide)
            .Concat(d.RightHandSide.Actions.Select(a => a.Expression))
            .Concat(d.FilterGroup.Filters.Select(f => f.Expression));
        return expressions
            .SelectMany(e => CapturedLocals.In(e).Select(name => (Expression: e, Name: name)))
            .Select(x => $"rule {rule.Name}: {x.Expression} refers to '{x.Name}' before it is matched (or it is never matched)")
            .Distinct();
    }

    private static IEnumerable<LambdaExpression> Expressions(RuleElement element) => element switch
    {
        GroupElement g => g.ChildElements.SelectMany(Expressions),
        NotElement n => Expressions(n.Source),
        ExistsElement x => Expressions(x.Source),
        ForAllElement f => new[] { f.BasePattern }.Concat(f.Patterns).SelectMany(Expressions),
        PatternElement p => p.Expressions.Select(e => e.Expression).Concat(p.Source is null ? [] : Expressions(p.Source)),
        AggregateElement a => a.Expressions.Select(e => e.Expression).Concat(Expressions(a.Source)),
        BindingElement b => [b.Expression],
        _ => [],
    };

    private sealed class CapturedLocals : ExpressionVisitor
    {
        private readonly List<string> _names = [];

        public static IReadOnlyList<string> In(Expression expression)
        {
            var finder = new CapturedLocals();
            finder.Visit(expression);
            return finder._names;
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is ConstantExpression { Value: { } closure }
                && closure.GetType().IsDefined(typeof(CompilerGeneratedAttribute), false))
                _names.Add(node.Member.Name);
            return base.VisitMember(node);
        }
    }
}
