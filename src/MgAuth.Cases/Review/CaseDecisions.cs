using System.Text.Json;
using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>
/// A case as it stands: the engine's decision of its current revision (stored as the engine made it, so
/// it can be replayed), with what people did since laid over it — a determination, an appeal.
/// </summary>
public sealed class CaseDecisions(AuthorizationStore store, ReviewStore review)
{
    public async Task<CaseDecision?> CurrentAsync(AuthorizationRow row, CancellationToken cancellationToken = default)
    {
        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken);
        if (revision is null) return null;
        var stored = JsonSerializer.Deserialize<CaseDecision>(revision.DecisionJson, MgAuthJson.Compact)!;
        var links = await review.LinksAsync(row.Id, cancellationToken);
        var determination = await review.LatestDeterminationAsync(row.Id, cancellationToken);
        return Overlay(stored, row, links, determination);
    }

    public static CaseDecision Overlay(CaseDecision stored, AuthorizationRow row, CaseLinks links, DeterminationRecord? determination)
    {
        var current = stored with { AppealOf = links.AppealOf, Appeals = links.Appeals.Count > 0 ? links.Appeals : null };
        if (links.AppealOf is not null)
            // An appeal carries the appealed case's decision; it is a case of its own, received when it was filed.
            current = current with
            {
                AuthorizationId = row.Id,
                Revision = (int)row.Revision,
                ReceivedAt = row.ReceivedAt,
                DueBy = row.DueBy,
                Decision = current.Decision with
                {
                    Urgency = row.Urgency,
                },
            };
        var applies = determination is not null && determination.Revision == row.Revision;
        var made = applies ? JsonSerializer.Deserialize<Determination>(determination!.DeterminationJson, MgAuthJson.Compact)! : null;
        // A determination recorded before persons were names its key; read as the key's person (by the key's name if known).
        if (made is not null && made.Reviewer.Person is null)
            made = made with { Reviewer = made.Reviewer with { Person = determination!.ReviewerPerson } };
        var authorized = applies && determination!.AuthorizedJson is { } json
            ? JsonSerializer.Deserialize<AuthorizedRegimen>(json, MgAuthJson.Compact) : null;
        return current with
        {
            Determination = made ?? current.Determination,
            Decision = new Case(row).Current(current.Decision, made, authorized),
        };
    }
}
