using System.Text.Json.Serialization;
using MgAuth.Domain.Decisions;

namespace MgAuth.Cases.Decisions;

/// <summary>
/// A stored case's decision: the engine's <see cref="Decision"/> with what the service keeps around it. The contract
/// shows both as one flat object (<see cref="CaseDecisionJson"/>).
/// </summary>
[JsonConverter(typeof(CaseDecisionJson))]
public sealed record CaseDecision
{
    /// <summary>The stored case this decision belongs to.</summary>
    public required string AuthorizationId { get; init; }

    /// <summary>Which decision of the case this is (a supplement re-decides it).</summary>
    public required int Revision { get; init; }

    /// <summary>When the request arrived; an explanation (decided again, not stored) has none.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>When a decision is due (CMS 2026: 72 hours expedited, 7 calendar days standard).</summary>
    public DateTimeOffset? DueBy { get; init; }

    public required Decision Decision { get; init; }

    /// <summary>A person's determination of the case, once one is made.</summary>
    public Determination? Determination { get; init; }

    /// <summary>The case this one appeals.</summary>
    public string? AppealOf { get; init; }

    /// <summary>The appeals of this case.</summary>
    public IReadOnlyList<string>? Appeals { get; init; }
}
