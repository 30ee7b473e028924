namespace MgAuth.Engine;

/// <summary>A rule that cannot be compiled; names the rule and, where there is one, the condition.</summary>
public sealed class RuleCompilationException(string rule, string? condition, string problem, Exception? inner = null)
    : Exception(condition is null ? $"Rule '{rule}': {problem}" : $"Rule '{rule}', condition {condition}: {problem}", inner)
{
    public string Rule { get; } = rule;
    public string? Condition { get; } = condition;
}
