using MgAuth.Engine.Dsl;

namespace MgAuth.Domain.Rules;

/// <summary>The policy row a rule encodes (<c>§4 D1</c>) and the evidence it rests on, as rule metadata.</summary>
public sealed class PolicyRowAttribute(string policyRef, string evidence)
    : MetadataAttribute(new KeyValuePair<string, string>(PolicyRowAttribute.PolicyRefKey, policyRef),
        new KeyValuePair<string, string>(PolicyRowAttribute.EvidenceKey, evidence))
{
    public const string PolicyRefKey = "policyRef";
    public const string EvidenceKey = "evidence";
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
