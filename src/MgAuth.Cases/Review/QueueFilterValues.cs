using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>One value a filter takes, with the words the console shows for it.</summary>
public sealed record FilterChoice(string Value, string Label)
{
    public static FilterChoice Of(Enum value) => new(ContractNames.Of(value), ContractNames.Of(value).Replace('_', ' '));
}

/// <summary>The values each filter of the review queue takes: what the queue accepts, so the console offers nothing else.</summary>
public sealed record QueueFilterValues(
    IReadOnlyList<FilterChoice> Recommendation,
    IReadOnlyList<FilterChoice> Indication,
    IReadOnlyList<FilterChoice> Urgency,
    IReadOnlyList<FilterChoice> Overdue)
{
    /// <summary>A pended case's engine recommendation: deny or review (an approval is never pended).</summary>
    public static IReadOnlyList<Outcome> Recommendations { get; } = [Outcome.Deny, Outcome.Review];

    public static QueueFilterValues All { get; } = new(
        [.. Recommendations.Select(o => FilterChoice.Of(o))],
        [.. Enum.GetValues<Indication>().Select(i => FilterChoice.Of(i))],
        [.. Enum.GetValues<Urgency>().Select(u => FilterChoice.Of(u))],
        [new FilterChoice("true", "Overdue only"), new FilterChoice("false", "Not overdue")]);
}
