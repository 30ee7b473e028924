using MgAuth.Domain.Policies;

namespace MgAuth.Domain.Decisions;

/// <summary>
/// What a rule concluded: a code with its effect, a sentence with this member's numbers, and the
/// policy criterion and evidence it rests on. Decisions are derived from reasons.
/// </summary>
public sealed record Reason(
    string Code,
    ReasonEffect Effect,
    DenialKind? DenialKind,
    string Message,
    string PolicyRef,
    string Evidence,
    string Rule)
{
    public IReadOnlyList<string> MissingDocumentation { get; init; } = [];

    /// <summary>For a dose denial: the largest course that would be approvable.</summary>
    public decimal? ApprovableCourseGrams { get; init; }
}
