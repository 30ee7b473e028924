using System.Linq.Expressions;
using MgAuth.Engine.Model;

namespace MgAuth.Engine.Dsl;

/// <summary>The When() part of a rule: patterns over facts, joined through their aliases.</summary>
public sealed class LeftHandSide
{
    private readonly string _rule;
    private readonly List<RuleElement> _elements = [];

    internal LeftHandSide(string rule) => _rule = rule;

    internal IReadOnlyList<RuleElement> Elements => _elements;

    /// <summary>Binds a fact of type <typeparamref name="T"/> to <paramref name="alias"/>.</summary>
    public LeftHandSide Match<T>(Expression<Func<T>> alias, params Expression<Func<T, bool>>[] conditions)
        where T : class
        => Add(ElementKind.Match, typeof(T), DeclarationOf(alias), conditions);

    /// <summary>Requires a fact of type <typeparamref name="T"/> without naming it.</summary>
    public LeftHandSide Match<T>(params Expression<Func<T, bool>>[] conditions)
        where T : class
        => Add(ElementKind.Match, typeof(T), null, conditions);

    /// <summary>Holds while no fact of type <typeparamref name="T"/> satisfies the conditions.</summary>
    public LeftHandSide Not<T>(params Expression<Func<T, bool>>[] conditions)
        where T : class
        => Add(ElementKind.Not, typeof(T), null, conditions);

    /// <summary>Holds while some fact of type <typeparamref name="T"/> satisfies the conditions.</summary>
    public LeftHandSide Exists<T>(params Expression<Func<T, bool>>[] conditions)
        where T : class
        => Add(ElementKind.Exists, typeof(T), null, conditions);

    /// <summary>Binds every fact of type <typeparamref name="T"/> that satisfies the conditions (possibly none).</summary>
    public LeftHandSide Collect<T>(Expression<Func<IReadOnlyList<T>>> alias, params Expression<Func<T, bool>>[] conditions)
        where T : class
        => Add(ElementKind.Collect, typeof(T), DeclarationOf(alias), conditions);

    /// <summary>A test over the facts and collections already bound.</summary>
    public LeftHandSide Having(params Expression<Func<bool>>[] conditions)
        => Add(ElementKind.Having, typeof(void), null, conditions);

    private LeftHandSide Add(ElementKind kind, Type type, Declaration? declaration, LambdaExpression[] conditions)
    {
        if (kind == ElementKind.Having && conditions.Length == 0)
            throw new RuleDefinitionException(_rule, "Having() needs at least one condition");
        if (declaration is not null && _elements.Any(e => e.Declaration?.Name == declaration.Name))
            throw new RuleDefinitionException(_rule, $"the alias '{declaration.Name}' is declared twice");
        _elements.Add(new RuleElement(kind, type, declaration, conditions));
        return this;
    }

    private Declaration DeclarationOf(LambdaExpression alias)
    {
        if (alias.Body is MemberExpression { Member: var member, Expression: ConstantExpression or MemberExpression })
            return new Declaration(member.Name, alias.Body.Type, member);
        throw new RuleDefinitionException(_rule, $"an alias must be a local variable, as in () => fact; got {alias}");
    }
}
