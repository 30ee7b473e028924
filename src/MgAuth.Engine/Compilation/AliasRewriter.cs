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

    /// <summary>Bound facts or collections used whole (<c>failures.Any(…)</c>): shown when nothing narrower is.</summary>
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

/// <summary>
/// Compiles each nested lambda that uses no parameter from outside itself (the <c>s =&gt; s.Points</c> of
/// <c>scores.Sum(s =&gt; s.Points)</c>) once, up front, and puts the delegate in its place. Left in the tree,
/// a compiled nested lambda creates its delegate through reflection on every evaluation.
/// </summary>
internal sealed class ClosedLambdaHoister : ExpressionVisitor
{
    public static Expression Hoist(Expression body) => new ClosedLambdaHoister().Visit(body);

    protected override Expression VisitLambda<T>(Expression<T> node)
    {
        var lambda = (Expression<T>)base.VisitLambda(node);
        return IsClosed(lambda) ? Expression.Constant(lambda.Compile(), typeof(T)) : lambda;
    }

    // An expression-tree argument (Queryable) must stay a tree.
    protected override Expression VisitUnary(UnaryExpression node) =>
        node.NodeType == ExpressionType.Quote ? node : base.VisitUnary(node);

    private static bool IsClosed(LambdaExpression lambda)
    {
        var scan = new ParameterScan();
        scan.Visit(lambda);
        return scan.Used.IsSubsetOf(scan.Declared);
    }

    private sealed class ParameterScan : ExpressionVisitor
    {
        public HashSet<ParameterExpression> Used { get; } = [];
        public HashSet<ParameterExpression> Declared { get; } = [];

        protected override Expression VisitParameter(ParameterExpression node)
        {
            Used.Add(node);
            return node;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            Declared.UnionWith(node.Parameters);
            return base.VisitLambda(node);
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            Declared.UnionWith(node.Variables);
            return base.VisitBlock(node);
        }

        protected override CatchBlock VisitCatchBlock(CatchBlock node)
        {
            if (node.Variable is not null) Declared.Add(node.Variable);
            return base.VisitCatchBlock(node);
        }
    }
}
