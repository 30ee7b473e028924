using MgAuth.Engine.Model;

namespace MgAuth.Engine.Diagnostics;

/// <summary>A value a failed condition saw, e.g. <c>m.Age = 45</c>.</summary>
public sealed record ObservedValue(string Expression, object? Value);

/// <summary>
/// Why a rule did not fire: the first condition that failed on the match that got furthest, and
/// the values it saw. <see cref="Element"/> is the zero-based index of the left-hand side element.
/// </summary>
public sealed record RuleExplanation(
    RuleDefinition Rule,
    int Element,
    ElementKind Kind,
    string FactType,
    string? Condition,
    string Reason,
    IReadOnlyList<ObservedValue> Values);
