using Dapper;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using System.Data.Common;

namespace MgAuth.Cases.Data;

/// <summary>
/// The queue, claims, determinations and appeals. Every change goes through the one writer and
/// writes its event in the same transaction (AuthorizationStore's helpers).
/// </summary>
public sealed class ReviewStore(Database database)
{
    private const CaseStatus Pended = CaseStatus.Pended;

    private const string ClaimColumns = """
        authorization_id AS AuthorizationId, claimed_by AS ClaimedBy, claimed_role AS ClaimedRole, claimed_at AS ClaimedAt,
        expires_at AS ExpiresAt, claimed_issuer AS ClaimedIssuer, claimed_subject AS ClaimedSubject, claimed_name AS ClaimedName
        """;

    private const string DeterminationColumns = """
        id AS Id, authorization_id AS AuthorizationId, revision AS Revision, action AS Action, from_status AS FromStatus,
        to_status AS ToStatus, determination_json AS DeterminationJson, authorized_json AS AuthorizedJson,
        reviewer_key_id AS ReviewerKeyId, reviewer_role AS ReviewerRole, reviewer_npi AS ReviewerNpi, determined_at AS DeterminedAt,
        reviewer_issuer AS ReviewerIssuer, reviewer_subject AS ReviewerSubject, reviewer_name AS ReviewerName,
        (SELECT k.name FROM api_keys k WHERE k.id = determinations.reviewer_key_id) AS ReviewerKeyName
        """;

    /// <summary>Pended cases waiting for a reviewer (not those waiting for the provider), most urgent first.</summary>
    public async Task<Paged<QueueRow>> QueueAsync(QueueFilter filter, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string where = """
            WHERE a.status = @Pended AND a.information_requested_at IS NULL
              AND (@Recommendation IS NULL OR a.decision = @Recommendation)
              AND (@Indication IS NULL OR a.indication = @Indication)
              AND (@Urgency IS NULL OR a.urgency = @Urgency)
              AND (@Overdue IS NULL OR (@Overdue = 1 AND a.due_by < @now) OR (@Overdue = 0 AND a.due_by >= @now))
            """;
        var parameters = new
        {
            filter.Recommendation, filter.Indication, filter.Urgency, now, Pended,
            // 1 or 0, not a boolean: compared with integers on both providers.
            Overdue = filter.Overdue is { } overdue ? (overdue ? 1 : 0) : (int?)null,
            limit = filter.PageSize, offset = (filter.Page - 1) * filter.PageSize,
        };
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM authorizations a {where}", parameters);
        var rows = await connection.QueryAsync<QueueRow>($"""
            SELECT a.id AS Id, a.member_id AS MemberId, NULLIF(a.indication, '{StoredNames.UnstatedIndication}') AS Indication, a.urgency AS Urgency, a.decision AS Decision,
                a.version AS Version, a.received_at AS ReceivedAt, a.due_by AS DueBy, a.appeal_of AS AppealOf,
                r.decision_json AS DecisionJson, c.claimed_by AS ClaimedBy, c.claimed_role AS ClaimedRole, c.expires_at AS ClaimExpiresAt,
                c.claimed_issuer AS ClaimedIssuer, c.claimed_subject AS ClaimedSubject, c.claimed_name AS ClaimedName
            FROM authorizations a
            JOIN revisions r ON r.authorization_id = a.id AND r.revision = a.revision
            LEFT JOIN claims c ON c.authorization_id = a.id AND c.expires_at > @now
            {where}
            ORDER BY a.due_by, a.id LIMIT @limit OFFSET @offset
            """, parameters);
        return new Paged<QueueRow>(rows.ToArray(), filter.Page, filter.PageSize, total);
    }

    /// <summary>How many cases the queue holds (pended, not waiting for the provider): the review-queue depth gauge.</summary>
    public long QueueDepth()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM authorizations WHERE status = @Pended AND information_requested_at IS NULL",
            new { Pended });
    }

    /// <summary>The unexpired claim on a case, if any.</summary>
    public async Task<ClaimRecord?> ClaimAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ClaimRecord>(
            $"SELECT {ClaimColumns} FROM claims WHERE authorization_id = @id AND expires_at > @now", new { id, now });
    }

    /// <summary>
    /// Claims (or renews) a pended case for <paramref name="actor"/> until <paramref name="until"/>; refused when the case is no
    /// longer pended or another person holds it.
    /// </summary>
    public async Task<Refusable<ClaimRecord>> ClaimAsync(string id, Actor actor, DateTimeOffset now, DateTimeOffset until,
        CancellationToken cancellationToken = default)
    {
        var claim = new ClaimRecord
        {
            AuthorizationId = id, ClaimedBy = actor.Id, ClaimedRole = actor.Role, ClaimedAt = now, ExpiresAt = until,
            ClaimedIssuer = actor.Person?.Issuer, ClaimedSubject = actor.Person?.Subject, ClaimedName = actor.Person?.Name,
        };
        Refusal? refused = null;
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            refused = null;
            var status = await connection.ExecuteScalarAsync<CaseStatus?>("SELECT status FROM authorizations WHERE id = @id", new { id }, transaction);
            if (status != Pended)
            {
                refused = Case.NotPended(status);
                return;
            }
            var held = await HeldAsync(connection, transaction, id, now);
            if (held is not null && !IsHolder(held, actor))
            {
                refused = CaseRefusals.Held(held);
                return;
            }
            await connection.ExecuteAsync("""
                INSERT INTO claims (authorization_id, claimed_by, claimed_role, claimed_at, expires_at, claimed_issuer, claimed_subject, claimed_name)
                VALUES (@AuthorizationId, @ClaimedBy, @ClaimedRole, @ClaimedAt, @ExpiresAt, @ClaimedIssuer, @ClaimedSubject, @ClaimedName)
                ON CONFLICT (authorization_id) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_role = excluded.claimed_role,
                    claimed_at = excluded.claimed_at, expires_at = excluded.expires_at, claimed_issuer = excluded.claimed_issuer,
                    claimed_subject = excluded.claimed_subject, claimed_name = excluded.claimed_name
                """, claim, transaction);
            await AuthorizationStore.InsertEventAsync(connection, transaction, id, now, actor,
                held is null ? CaseEventKind.Claimed : CaseEventKind.ClaimRenewed,
                Pended, Pended, $"until {until:O}");
        }, cancellationToken);
        return refused is null ? claim : refused;
    }

    /// <summary>
    /// Gives up the claim on a case; false when nobody held it. Only the holder may (another's claim is refused), unless
    /// <paramref name="anyone"/>.
    /// </summary>
    public async Task<Refusable<bool>> ReleaseAsync(string id, Actor actor, bool anyone, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var released = false;
        Refusal? refused = null;
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            (released, refused) = (false, null);
            var held = await HeldAsync(connection, transaction, id, now);
            if (held is null) return;
            if (!IsHolder(held, actor) && !anyone)
            {
                refused = CaseRefusals.Held(held);
                return;
            }
            var status = await connection.ExecuteScalarAsync<CaseStatus?>("SELECT status FROM authorizations WHERE id = @id", new { id }, transaction);
            await connection.ExecuteAsync("DELETE FROM claims WHERE authorization_id = @id", new { id }, transaction);
            await AuthorizationStore.InsertEventAsync(connection, transaction, id, now, actor, CaseEventKind.ClaimReleased, status, status,
                $"claim of {held.ClaimedPerson.Name}");
            released = true;
        }, cancellationToken);
        return refused is null ? released : refused;
    }

    /// <summary>
    /// Records a determination if the case is still at the version the reviewer saw and nobody else holds it: the row,
    /// the determination, its event and <paramref name="outbox"/> (the use case's notifications, if any) in one
    /// transaction; the claim ends with it. Refused (nothing written) when another person holds the case or it changed.
    /// </summary>
    public async Task<Refusable<DeterminationWrite>> DetermineAsync(DeterminationWrite write, Func<DbConnection, DbTransaction, Task>? outbox,
        CancellationToken cancellationToken = default)
    {
        Refusal? refused = null;
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            refused = null;
            // The claim is checked before anything is written, so a refusal leaves the transaction empty.
            var held = await HeldAsync(connection, transaction, write.AuthorizationId, write.DeterminedAt);
            if (held is not null && !IsHolder(held, write.Reviewer))
            {
                refused = CaseRefusals.Held(held);
                return;
            }
            var changed = await connection.ExecuteAsync("""
                UPDATE authorizations SET status = @ToStatus, decision = @Decision, version = version + 1,
                    decided_at = COALESCE(@DecidedAt, decided_at), valid_from = @ValidFrom, valid_through = @ValidThrough,
                    information_requested_at = @InformationRequestedAt,
                    approved_after_review = CASE WHEN @ToStatus = @Approved THEN 1 ELSE 0 END
                WHERE id = @AuthorizationId AND version = @ExpectedVersion AND status = @Pended
                """, new
                {
                    write.ToStatus, write.Decision, write.DecidedAt, write.ValidFrom, write.ValidThrough, write.InformationRequestedAt,
                    write.AuthorizationId, write.ExpectedVersion, Approved = CaseStatus.Approved, Pended,
                }, transaction);
            if (changed != 1)
            {
                refused = CaseRefusals.Stale(null);
                return;
            }
            await connection.ExecuteAsync("""
                INSERT INTO determinations (authorization_id, revision, action, from_status, to_status, determination_json, authorized_json,
                    reviewer_key_id, reviewer_role, reviewer_npi, determined_at, reviewer_issuer, reviewer_subject, reviewer_name)
                VALUES (@AuthorizationId, @Revision, @Action, @FromStatus, @ToStatus, @DeterminationJson, @AuthorizedJson,
                    @reviewerKeyId, @reviewerRole, @ReviewerNpi, @DeterminedAt, @issuer, @subject, @name)
                """, new
                {
                    write.AuthorizationId, write.Revision, write.Action, write.FromStatus, write.ToStatus, write.DeterminationJson,
                    write.AuthorizedJson, reviewerKeyId = write.Reviewer.Id, reviewerRole = write.Reviewer.Role, write.ReviewerNpi,
                    write.DeterminedAt, issuer = write.Reviewer.Person?.Issuer, subject = write.Reviewer.Person?.Subject,
                    name = write.Reviewer.Person?.Name,
                }, transaction);
            await connection.ExecuteAsync("DELETE FROM claims WHERE authorization_id = @AuthorizationId", new { write.AuthorizationId }, transaction);
            await AuthorizationStore.InsertEventAsync(connection, transaction, write.AuthorizationId, write.DeterminedAt, write.Reviewer,
                write.EventKind, write.FromStatus, write.ToStatus, write.EventDetail);
            if (outbox is not null) await outbox(connection, transaction);
        }, cancellationToken);
        return refused is null ? write : refused;
    }

    /// <summary>
    /// Opens an appeal: a new pended case carrying the appealed one's request and recommendation, linked both ways. Refused
    /// (nothing written) when the case is already appealed or changed since it was read (<see cref="CaseRefusals.Stale"/>).
    /// </summary>
    public async Task<Refusable<AppealWrite>> AppealAsync(AppealWrite appeal, CancellationToken cancellationToken = default)
    {
        Refusal? refused = null;
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            refused = null;
            var existing = await connection.ExecuteScalarAsync<string?>(
                "SELECT id FROM authorizations WHERE appeal_of = @AppealOf ORDER BY received_at LIMIT 1", new { appeal.AppealOf }, transaction);
            if (existing is not null)
            {
                refused = CaseRefusals.AlreadyAppealed(existing);
                return;
            }
            // The appealed case now shows its appeal: a change of its own, so its version moves and its event is written.
            var changed = await connection.ExecuteAsync(
                "UPDATE authorizations SET version = version + 1 WHERE id = @AppealOf AND version = @AppealedVersion AND status = @AppealedStatus",
                new { appeal.AppealOf, appeal.AppealedVersion, appeal.AppealedStatus }, transaction);
            if (changed != 1)
            {
                refused = CaseRefusals.Stale(null);
                return;
            }

            var row = appeal.Row;
            await connection.ExecuteAsync($"""
                INSERT INTO authorizations (id, organization_id, member_id, indication, urgency, status, decision, revision, version,
                    received_at, due_by, decided_at, valid_from, valid_through, idempotency_key, request_sha256, appeal_of)
                VALUES (@Id, @OrganizationId, @MemberId, COALESCE(@Indication, '{StoredNames.UnstatedIndication}'), @Urgency, @Status, @Decision, @Revision, @Version,
                    @ReceivedAt, @DueBy, @DecidedAt, @ValidFrom, @ValidThrough, @IdempotencyKey, @RequestSha256, @appealOf)
                """, new
                {
                    row.Id, row.OrganizationId, row.MemberId, row.Indication, row.Urgency, row.Status, row.Decision, row.Revision, row.Version,
                    row.ReceivedAt, row.DueBy, row.DecidedAt, row.ValidFrom, row.ValidThrough, row.IdempotencyKey, row.RequestSha256,
                    appealOf = appeal.AppealOf,
                }, transaction);
            await AuthorizationStore.InsertRevisionAsync(connection, transaction, row.Id, appeal.Revision);
            await AuthorizationStore.InsertEventAsync(connection, transaction, row.Id, row.ReceivedAt, appeal.Actor, CaseEventKind.Submitted, null,
                row.Status, $"appeal of {appeal.AppealOf}; the engine's recommendation '{ContractNames.Of(row.Decision)}' is carried. Reason: {appeal.Reason}");
            await AuthorizationStore.InsertEventAsync(connection, transaction, appeal.AppealOf, row.ReceivedAt, appeal.Actor, CaseEventKind.Appealed,
                appeal.AppealedStatus, appeal.AppealedStatus, $"appealed in {row.Id}");
        }, cancellationToken);
        return refused is null ? appeal : refused;
    }

    /// <summary>The latest determination of a case, if a person has made one.</summary>
    public async Task<DeterminationRecord?> LatestDeterminationAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DeterminationRecord>(
            $"SELECT {DeterminationColumns} FROM determinations WHERE authorization_id = @id ORDER BY id DESC LIMIT 1", new { id });
    }

    public async Task<CaseLinks> LinksAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var own = await connection.QuerySingleOrDefaultAsync<OwnLinks>(
            "SELECT appeal_of AS AppealOf, information_requested_at AS InformationRequestedAt FROM authorizations WHERE id = @id", new { id });
        var appeals = await connection.QueryAsync<string>(
            "SELECT id FROM authorizations WHERE appeal_of = @id ORDER BY received_at, id", new { id });
        return new CaseLinks(own?.AppealOf, appeals.ToArray(), own?.InformationRequestedAt);
    }

    private sealed class OwnLinks
    {
        public string? AppealOf { get; init; }
        public DateTimeOffset? InformationRequestedAt { get; init; }
    }

    /// <summary>Whether the claim is this actor's: by the same key, or by the same person with another key or a sign-in.</summary>
    public static bool IsHolder(ClaimRecord claim, Actor actor) => claim.ClaimedBy == actor.Id || claim.ClaimedPerson.IsSamePersonAs(actor.Person);

    private static Task<ClaimRecord?> HeldAsync(DbConnection connection, DbTransaction transaction, string id, DateTimeOffset now) =>
        connection.QuerySingleOrDefaultAsync<ClaimRecord>(
            $"SELECT {ClaimColumns} FROM claims WHERE authorization_id = @id AND expires_at > @now", new { id, now }, transaction);
}
