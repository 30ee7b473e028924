namespace MgAuth.Engine;

public sealed record SessionOptions
{
    public static SessionOptions Default { get; } = new();

    /// <summary>Record every firing with the facts it matched.</summary>
    public bool Trace { get; init; } = true;

    /// <summary>After firing, record for every rule that did not fire the first condition that failed and the values it saw.</summary>
    public bool Explain { get; init; }

    /// <summary>A runaway rule set is an error, not a hang.</summary>
    public int MaxFirings { get; init; } = 10_000;
}

public sealed class RuleFiringLimitExceededException(int limit, string rule)
    : Exception($"Stopped after {limit} rule firings; '{rule}' was about to fire again. The rule set does not reach quiescence.")
{
    public int Limit { get; } = limit;
    public string Rule { get; } = rule;
}

/// <summary>An action threw; names the rule.</summary>
public sealed class RuleActionException(string rule, Exception inner)
    : Exception($"Rule '{rule}' failed in its action: {inner.Message}", inner)
{
    public string Rule { get; } = rule;
}
