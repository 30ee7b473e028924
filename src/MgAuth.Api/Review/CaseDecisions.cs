using System.Text.Json;
using MgAuth.Cases.Data;
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
    public async Task<Decision?> CurrentAsync(AuthorizationRow row, CancellationToken cancellationToken = default)
    {
        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken);
        if (revision is null) return null;
        var engine = JsonSerializer.Deserialize<Decision>(revision.DecisionJson, MgAuthJson.Compact)!;
        var links = await review.LinksAsync(row.Id, cancellationToken);
        var determination = await review.LatestDeterminationAsync(row.Id, cancellationToken);
        return Overlay(engine, row, links, determination);
    }

    public static Decision Overlay(Decision engine, AuthorizationRow row, CaseLinks links, DeterminationRecord? determination)
    {
        var decision = engine with { AppealOf = links.AppealOf, Appeals = links.Appeals.Count > 0 ? links.Appeals : null };
        if (links.AppealOf is not null)
            // An appeal carries the appealed case's decision; it is a case of its own, received when it was filed.
            decision = decision with
            {
                AuthorizationId = row.Id,
                Revision = (int)row.Revision,
                ReceivedAt = row.ReceivedAt,
                DueBy = row.DueBy,
                Urgency = ContractNames.TryParse<Urgency>(row.Urgency, out var urgency) ? urgency : decision.Urgency,
            };
        if (determination is not null && determination.Revision == row.Revision)
            return Apply(decision, determination);
        if (row.Status == ContractNames.Of(CaseStatus.Pended) && decision.Status != CaseStatus.Pended)
            decision = decision with { Status = CaseStatus.Pended, X12ReviewAction = "A4" };
        return decision;
    }

    private static Decision Apply(Decision decision, DeterminationRecord record)
    {
        var determination = JsonSerializer.Deserialize<Determination>(record.DeterminationJson, MgAuthJson.Compact)!;
        var authorized = record.AuthorizedJson is null ? null : JsonSerializer.Deserialize<AuthorizedRegimen>(record.AuthorizedJson, MgAuthJson.Compact);
        return determination.Action switch
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
                Determination = determination,
            },
            DeterminationAction.Deny => decision with
            {
                Outcome = Outcome.Deny,
                Status = CaseStatus.Denied,
                DenialKind = DenialKind.MedicalNecessity,
                X12ReviewAction = "A3",
                Authorized = null,
                Determination = determination,
            },
            _ => decision with
            {
                Status = CaseStatus.Pended,
                X12ReviewAction = "A4",
                MissingDocumentation = decision.MissingDocumentation.Union(determination.MissingDocumentation ?? []).ToArray(),
                Determination = determination,
            },
        };
    }
}
