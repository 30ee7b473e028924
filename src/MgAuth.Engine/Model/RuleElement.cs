using System.Linq.Expressions;

namespace MgAuth.Engine.Model;

public enum ElementKind
{
    /// <summary>Binds one fact of the type that satisfies the conditions.</summary>
    Match,
    /// <summary>Holds while no fact of the type satisfies the conditions.</summary>
    Not,
    /// <summary>Holds while at least one fact of the type satisfies the conditions.</summary>
    Exists,
    /// <summary>Binds the (possibly empty) list of all facts of the type that satisfy the conditions.</summary>
    Collect,
    /// <summary>A test over facts already bound; no fact of its own.</summary>
    Having,
}

/// <summary>
/// One element of a rule's left-hand side. Conditions are lambda expressions: for Match, Not,
/// Exists and Collect they take the candidate fact; for Having they take nothing. Any of them may
/// refer to earlier declarations through the captured alias variables.
/// </summary>
public sealed record RuleElement(
    ElementKind Kind,
    Type FactType,
    Declaration? Declaration,
    IReadOnlyList<LambdaExpression> Conditions);

/// <summary>An alias: the captured variable that names a matched fact (or collection) in later conditions and actions.</summary>
public sealed record Declaration(string Name, Type Type, System.Reflection.MemberInfo Member);

/// <summary>An action of the right-hand side: a lambda taking the action context.</summary>
public sealed record ActionElement(LambdaExpression Expression);
