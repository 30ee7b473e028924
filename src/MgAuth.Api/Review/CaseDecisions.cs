using System.Text.Json;
using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Api.Review;

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
        if (determination is not null && determination.Revision == row.Revision)
            return Apply(current, determination);
        if (row.Status == CaseStatus.Pended && current.Decision.Status != CaseStatus.Pended)
            current = current with { Decision = current.Decision with { Status = CaseStatus.Pended, X12ReviewAction = "A4" } };
        return current;
    }

    private static CaseDecision Apply(CaseDecision current, DeterminationRecord record)
    {
        var determination = JsonSerializer.Deserialize<Determination>(record.DeterminationJson, MgAuthJson.Compact)!;
        var authorized = record.AuthorizedJson is null ? null : JsonSerializer.Deserialize<AuthorizedRegimen>(record.AuthorizedJson, MgAuthJson.Compact);
        return current with { Determination = determination, Decision = Apply(current.Decision, determination, authorized) };
    }

    private static Decision Apply(Decision decision, Determination determination, AuthorizedRegimen? authorized) =>
        determination.Action switch
        {
            DeterminationAction.Approve or DeterminationAction.ApproveModified => decision with
            {
                Outcome = Outcome.Approve,
                Status = CaseStatus.Approved,
                DenialKind = null,
                // X12 278: A6 when what is authorized is less than asked (a modified regimen or a shortened period).
                X12ReviewAction = determination.Action == DeterminationAction.ApproveModified
                    || authorized is null || authorized.ValidThrough < decision.Requested.PeriodEnd ? "A6" : "A1",
                Authorized = authorized,
                ApprovableAlternative = null,
            },
            DeterminationAction.Deny => decision with
            {
                Outcome = Outcome.Deny,
                Status = CaseStatus.Denied,
                DenialKind = DenialKind.MedicalNecessity,
                X12ReviewAction = "A3",
                Authorized = null,
            },
            _ => decision with
            {
                Status = CaseStatus.Pended,
                X12ReviewAction = "A4",
                MissingDocumentation = decision.MissingDocumentation.Union(determination.MissingDocumentation ?? []).ToArray(),
            },
        };
}
