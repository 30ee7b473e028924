namespace MgAuth.Domain.Rules;

/// <summary>
/// The policy row a rule encodes (<c>§4 D1</c>) and the evidence it rests on. NRules keeps the rule's
/// class in its definition, so this is read from there (<c>MgAuth.RulePacks.PackRule</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PolicyRowAttribute(string policyRef, string evidence) : Attribute
{
    public string PolicyRef { get; } = policyRef;
    public string Evidence { get; } = evidence;
}

/// <summary>
/// Firing order by layer: definitions (§2) derive facts first, assessments built on them next,
/// the policy rows after, and rows that summarise other rows' reasons last.
/// </summary>
public static class RulePriority
{
    public const int Definition = 100;
    public const int Assessment = 90;
    public const int Row = 0;
    public const int Summary = -10;
}
