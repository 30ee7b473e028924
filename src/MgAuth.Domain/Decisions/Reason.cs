using System.Text.Json.Serialization;
using MgAuth.Domain.Policies;

namespace MgAuth.Domain.Decisions;

/// <summary>
/// What a rule concluded: a code with its effect, a sentence with this member's numbers, and the
/// policy criterion and evidence it rests on. Decisions are derived from reasons.
/// Only the policy's reason actions (<see cref="ReasonActions"/>) make one: rule packs are untrusted
/// and must not invent a code or a message, so nothing outside the domain can construct or change one.
/// </summary>
public sealed record Reason
{
    [JsonConstructor]
    internal Reason(string code, ReasonEffect effect, DenialKind? denialKind, string message, string policyRef, string evidence, string rule)
    {
        Code = code;
        Effect = effect;
        DenialKind = denialKind;
        Message = message;
        PolicyRef = policyRef;
        Evidence = evidence;
        Rule = rule;
    }

    public string Code { get; }
    public ReasonEffect Effect { get; }
    public DenialKind? DenialKind { get; }
    public string Message { get; }
    public string PolicyRef { get; }
    public string Evidence { get; }
    public string Rule { get; }

    [JsonInclude] public IReadOnlyList<string> MissingDocumentation { get; internal init; } = [];

    /// <summary>For a dose denial: the largest course that would be approvable.</summary>
    [JsonInclude] public decimal? ApprovableCourseGrams { get; internal init; }

    /// <summary>The policy text this reason was made from (a decision just made; not stored).</summary>
    [JsonIgnore] internal ReasonText? Text { get; init; }

    /// <summary>
    /// Whether this reason was made by the reason actions from <paramref name="policy"/>'s own text for its code, by
    /// reference: a copy of the policy with other texts (a forged effect, section or message) makes reasons that are not.
    /// </summary>
    public bool IsFrom(Policy policy) =>
        Text is not null && policy.Reasons.TryGetValue(Code, out var text) && ReferenceEquals(text, Text);
}
