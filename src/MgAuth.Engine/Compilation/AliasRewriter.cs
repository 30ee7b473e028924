using System.Linq.Expressions;
using System.Reflection;

namespace MgAuth.Engine.Compilation;

/// <summary>
/// Replaces references to alias variables (captured closure fields) with named parameters, so a
/// condition reads as <c>(t.Months &gt;= a.AdequateMonths)</c> and can be bound to a tuple.
/// </summary>
internal sealed class AliasRewriter(IReadOnlyDictionary<MemberInfo, ParameterExpression> aliases) : ExpressionVisitor
{
    public HashSet<ParameterExpression> Used { get; } = [];

    protected override Expression VisitMember(MemberExpression node)
    {
        if (aliases.TryGetValue(node.Member, out var parameter) && IsClosureAccess(node.Expression))
        {
            Used.Add(parameter);
            return parameter;
        }
        return base.VisitMember(node);
    }

    // A captured local is a field of a compiler-generated closure, reached from a constant.
    private static bool IsClosureAccess(Expression? expression) => expression switch
    {
        ConstantExpression => true,
        MemberExpression { Member: FieldInfo } inner => IsClosureAccess(inner.Expression),
        _ => false,
    };
}

/// <summary>Replaces named parameters with typed reads of a tuple's slots.</summary>
internal sealed class SlotBinder(IReadOnlyDictionary<ParameterExpression, int> slotOf, ParameterExpression slots) : ExpressionVisitor
{
    protected override Expression VisitParameter(ParameterExpression node) =>
        slotOf.TryGetValue(node, out var slot)
            ? Expression.Convert(Expression.ArrayIndex(slots, Expression.Constant(slot)), node.Type)
            : node;
}

/// <summary>Finds the member chains rooted at parameters (<c>m.Age</c>, <c>p.Limits.Max</c>): the values explain shows.</summary>
internal sealed class ProbeFinder : ExpressionVisitor
{
    // Parameters of lambdas nested in the condition (c in claims.Sum(c => c.Amount)): a chain rooted at
    // one of them has no value outside that lambda, so it cannot be read from a tuple.
    private readonly HashSet<ParameterExpression> _nested = [];

    public List<Expression> Probes { get; } = [];

    protected override Expression VisitLambda<T>(Expression<T> node)
    {
        _nested.UnionWith(node.Parameters);
        return base.VisitLambda(node);
    }

    protected override Expression VisitMember(MemberExpression node)
    {
        if (RootIsParameter(node))
        {
            if (!Probes.Any(p => p.ToString() == node.ToString()))
                Probes.Add(node);
            return node;
        }
        return base.VisitMember(node);
    }

    private bool RootIsParameter(Expression? expression) => expression switch
    {
        ParameterExpression parameter => !_nested.Contains(parameter),
        MemberExpression member => RootIsParameter(member.Expression),
        _ => false,
    };
}
