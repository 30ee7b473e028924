using MgAuth.RulePacks;

namespace MgAuth.Api.RulePacks;

/// <summary>A pack and the policies it runs under: what decides requests.</summary>
public sealed record RuleSet(RulePack Pack, PolicySet Policies);

/// <summary>
/// The rule set in force. A request reads it once and keeps it to the end, so switching to a new
/// set is one reference swap: requests in flight finish on the set they started with.
/// </summary>
public sealed class ActiveRules(RuleSet initial)
{
    private RuleSet _current = initial;

    public RuleSet Current => Volatile.Read(ref _current);

    public void Activate(RuleSet next) => Volatile.Write(ref _current, next);
}
