using Dapper;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;
using System.Data.Common;

namespace MgAuth.Cases.Data;

/// <summary>Authorizations, their revisions and their events. Every change is one transaction with its event.</summary>
public sealed class AuthorizationStore(Database database)
{
    private const string RowColumns = $"""
        id AS Id, organization_id AS OrganizationId, member_id AS MemberId, NULLIF(indication, '{StoredNames.UnstatedIndication}') AS Indication, urgency AS Urgency,
        status AS Status, decision AS Decision, revision AS Revision, version AS Version, received_at AS ReceivedAt,
        due_by AS DueBy, decided_at AS DecidedAt, valid_from AS ValidFrom, valid_through AS ValidThrough,
        idempotency_key AS IdempotencyKey, request_sha256 AS RequestSha256
        """;

    private const string FirstAnswerSql = """
        SELECT a.request_sha256 AS RequestSha256, r.decision_json AS DecisionJson
        FROM authorizations a JOIN revisions r ON r.authorization_id = a.id AND r.revision = 1
        WHERE a.organization_id = @organizationId AND a.idempotency_key = @key
        """;

    /// <summary>The engine, as the actor of its own decisions in a case's history.</summary>
    private static readonly Actor Engine = new("engine", "engine");

    public Database Database => database;

    /// <summary>Stores a new case with its first revision and events; false when its idempotency key is taken meanwhile.</summary>
    public async Task<bool> InsertAsync(NewAuthorization authorization, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.Writer.WriteAsync(async (connection, transaction) =>
            {
                var row = authorization.Row;
                await connection.ExecuteAsync($"""
                    INSERT INTO authorizations (id, organization_id, member_id, indication, urgency, status, decision, revision, version,
                        received_at, due_by, decided_at, valid_from, valid_through, idempotency_key, request_sha256)
                    VALUES (@Id, @OrganizationId, @MemberId, COALESCE(@Indication, '{StoredNames.UnstatedIndication}'), @Urgency, @Status, @Decision, @Revision, @Version,
                        @ReceivedAt, @DueBy, @DecidedAt, @ValidFrom, @ValidThrough, @IdempotencyKey, @RequestSha256)
                    """, row, transaction);
                await InsertRevisionAsync(connection, transaction, row.Id, authorization.Revision);
                if (authorization.PasBundle is { } pas)
                    await PasRequestStore.InsertAsync(connection, transaction, PasRequestStore.Row(row.Id, row.OrganizationId, PasRequestStore.Ivig,
                        row.ReceivedAt, pas));
                await InsertEventAsync(connection, transaction, row.Id, row.ReceivedAt, authorization.Actor, CaseEventKind.Submitted, null, null, null);
                await InsertEventAsync(connection, transaction, row.Id, authorization.Revision.DecidedAt,
                    Engine, CaseEventKind.Decided, null, row.Status, ContractNames.Of(row.Decision));
            }, cancellationToken);
            return true;
        }
        catch (DbException e) when (DatabaseErrors.IsUniqueViolation(e, "idempotency_key"))
        {
            return false;
        }
    }

    /// <summary>
    /// Stores a new revision (a supplement re-decided) if the case is still at <paramref name="expectedVersion"/>, and
    /// <paramref name="outbox"/> (the use case's notifications of the new result, if any) in the same transaction; false if not.
    /// </summary>
    public async Task<bool> AddRevisionAsync(AuthorizationRow updated, long expectedVersion, RevisionRecord revision, Actor actor,
        CaseStatus fromStatus, Func<DbConnection, DbTransaction, Task>? outbox, CancellationToken cancellationToken = default)
    {
        var stored = false;
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            stored = false; // a write may run again (IDatabaseWriter): it answers from its last run
            var changed = await connection.ExecuteAsync("""
                UPDATE authorizations SET status = @Status, decision = @Decision, urgency = @Urgency, revision = @Revision,
                    indication = COALESCE(@Indication, indication),
                    version = version + 1, due_by = @DueBy, decided_at = @DecidedAt, valid_from = @ValidFrom, valid_through = @ValidThrough,
                    information_requested_at = NULL,
                    approved_after_review = CASE WHEN status = @Pended AND @Status = @Approved THEN 1 ELSE approved_after_review END
                WHERE id = @Id AND version = @expectedVersion
                """, new { updated.Status, updated.Decision, updated.Urgency, updated.Indication, updated.Revision, updated.DueBy, updated.DecidedAt,
                    updated.ValidFrom, updated.ValidThrough, updated.Id, expectedVersion, Pended = CaseStatus.Pended, Approved = CaseStatus.Approved },
                transaction);
            // Nothing was written: the case moved on.
            if (changed != 1) return;
            await InsertRevisionAsync(connection, transaction, updated.Id, revision);
            await InsertEventAsync(connection, transaction, updated.Id, revision.DecidedAt, actor, CaseEventKind.Supplemented, fromStatus, null,
                $"revision {revision.Revision}");
            await InsertEventAsync(connection, transaction, updated.Id, revision.DecidedAt, Engine,
                CaseEventKind.Decided, fromStatus, updated.Status, ContractNames.Of(updated.Decision));
            if (outbox is not null) await outbox(connection, transaction);
            stored = true;
        }, cancellationToken);
        return stored;
    }

    /// <summary>Who looked at a case, and at what (<paramref name="what"/>: null for the case itself, or "notice", "history"), <paramref name="at"/>; the status is unchanged.</summary>
    public Task AddViewedAsync(AuthorizationRow row, Actor actor, string? what, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync((connection, transaction) =>
            InsertEventAsync(connection, transaction, row.Id, at, actor, CaseEventKind.Viewed, row.Status, row.Status, what),
            cancellationToken);

    public async Task<AuthorizationRow?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AuthorizationRow>($"SELECT {RowColumns} FROM authorizations WHERE id = @id", new { id });
    }

    public async Task<AuthorizationRow?> FindByIdempotencyKeyAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AuthorizationRow>(
            $"SELECT {RowColumns} FROM authorizations WHERE organization_id = @organizationId AND idempotency_key = @key",
            new { organizationId, key });
    }

    public async Task<RevisionRecord?> RevisionAsync(string id, long revision, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RevisionRecord>("""
            SELECT revision AS Revision, request_json AS RequestJson, decision_json AS DecisionJson, history_json AS HistoryJson,
                pack_sha256 AS PackSha256, pack_version AS PackVersion, policy_id AS PolicyId, policy_version AS PolicyVersion,
                policy_sha256 AS PolicySha256, as_of AS AsOf, engine_version AS EngineVersion, decided_at AS DecidedAt
            FROM revisions WHERE authorization_id = @id AND revision = @revision
            """, new { id, revision });
    }

    /// <summary>Every stored revision, oldest first (replay and impact analysis read them all).</summary>
    public async Task<IReadOnlyList<(string AuthorizationId, RevisionRecord Revision)>> AllRevisionsAsync(string? id = null, DateOnly? since = null)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<string, RevisionRecord, (string, RevisionRecord)>("""
            SELECT authorization_id AS AuthorizationId, revision AS Revision, request_json AS RequestJson, decision_json AS DecisionJson,
                history_json AS HistoryJson, pack_sha256 AS PackSha256, pack_version AS PackVersion, policy_id AS PolicyId,
                policy_version AS PolicyVersion, policy_sha256 AS PolicySha256, as_of AS AsOf, engine_version AS EngineVersion,
                decided_at AS DecidedAt
            FROM revisions
            WHERE (@id IS NULL OR authorization_id = @id) AND (@since IS NULL OR decided_at >= @since)
            ORDER BY decided_at, authorization_id, revision
            """, (a, r) => (a, r), new { id, since }, splitOn: "Revision");
        return rows.ToArray();
    }

    public async Task<Paged<AuthorizationRow>> ListAsync(string? organizationId, string? memberId, CaseStatus? status, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string where = """
            WHERE (@organizationId IS NULL OR organization_id = @organizationId)
              AND (@memberId IS NULL OR member_id = @memberId)
              AND (@status IS NULL OR status = @status)
            """;
        var filter = new { organizationId, memberId, status, limit = pageSize, offset = (page - 1) * pageSize };
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM authorizations {where}", filter);
        var items = await connection.QueryAsync<AuthorizationRow>(
            $"SELECT {RowColumns} FROM authorizations {where} ORDER BY received_at DESC, id LIMIT @limit OFFSET @offset", filter);
        return new Paged<AuthorizationRow>(items.ToArray(), page, pageSize, total);
    }

    /// <summary>
    /// What a submission, supplement or evaluation finds before it decides, on one connection: the first answer to
    /// <paramref name="idempotencyKey"/> if it was used, else the member's approved authorizations anywhere in the plan
    /// (§4 H1/H2), or in the organizations <paramref name="organizations"/> allows. Another organization's case is counted
    /// but not named, so a decision never shows one organization another's case ids (what a provider reads of it is ProviderView's).
    /// </summary>
    public async Task<Prior> PriorAsync(string organizationId, string memberId, string? idempotencyKey,
        Func<string, bool>? organizations = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (idempotencyKey is not null
            && await connection.QuerySingleOrDefaultAsync<FirstAnswer>(FirstAnswerSql, new { organizationId, key = idempotencyKey }) is { } earlier)
            return new Prior(earlier, []);
        var approved = await connection.QueryAsync<ApprovalRow>(ApprovalsSql, new { memberId, Approved = CaseStatus.Approved });
        return new Prior(null, approved
            .Where(a => organizations is null || organizations(a.OrganizationId))
            .Select(a => a.OrganizationId == organizationId
                ? new ApprovedAuthorization(a.Id, a.Indication, a.ValidFrom, a.ValidThrough)
                : (PlanApproval)new ApprovalHeldElsewhere(a.Indication, a.ValidFrom, a.ValidThrough))
            .ToArray());
    }

    // The member's approvals as history needs them: five columns, not the row's sixteen (every evaluate and submit asks,
    // mostly for a member with none); an approval without its period or indication is no history.
    private const string ApprovalsSql = $"""
        SELECT id AS Id, organization_id AS OrganizationId, indication AS Indication, valid_from AS ValidFrom, valid_through AS ValidThrough
        FROM authorizations
        WHERE member_id = @memberId AND status = @Approved AND valid_from IS NOT NULL AND valid_through IS NOT NULL
            AND indication IS NOT NULL AND indication <> '{StoredNames.UnstatedIndication}'
        ORDER BY valid_from
        """;

    private sealed record ApprovalRow
    {
        public required string Id { get; init; }
        public required string OrganizationId { get; init; }
        public required Indication Indication { get; init; }
        public required DateOnly ValidFrom { get; init; }
        public required DateOnly ValidThrough { get; init; }
    }

    /// <summary>The first answer to an Idempotency-Key, if the key was used (a submission that lost the race for it reads the winner's).</summary>
    public async Task<FirstAnswer?> FirstAnswerAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<FirstAnswer>(FirstAnswerSql, new { organizationId, key });
    }

    public async Task<IReadOnlyList<AuthorizationEvent>> EventsAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuthorizationEvent>("""
            SELECT id AS Id, authorization_id AS AuthorizationId, at AS At, actor AS Actor, actor_role AS ActorRole, kind AS Kind,
                from_status AS FromStatus, to_status AS ToStatus, detail AS Detail, actor_issuer AS ActorIssuer, actor_subject AS ActorSubject,
                actor_name AS ActorName, (SELECT k.name FROM api_keys k WHERE k.id = events.actor) AS ActorKeyName
            FROM events WHERE authorization_id = @id ORDER BY id
            """, new { id })).ToArray();
    }

    public async Task<bool> IsUsableAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_version",
            cancellationToken: cancellationToken)) > 0;
    }

    internal static Task InsertRevisionAsync(DbConnection connection, DbTransaction transaction, string id, RevisionRecord r) =>
        connection.ExecuteAsync("""
            INSERT INTO revisions (authorization_id, revision, request_json, decision_json, history_json, pack_sha256, pack_version,
                policy_id, policy_version, policy_sha256, as_of, engine_version, decided_at)
            VALUES (@id, @Revision, @RequestJson, @DecisionJson, @HistoryJson, @PackSha256, @PackVersion,
                @PolicyId, @PolicyVersion, @PolicySha256, @AsOf, @EngineVersion, @DecidedAt)
            """, new { id, r.Revision, r.RequestJson, r.DecisionJson, r.HistoryJson, r.PackSha256, r.PackVersion, r.PolicyId,
                r.PolicyVersion, r.PolicySha256, r.AsOf, r.EngineVersion, r.DecidedAt }, transaction);

    /// <summary>Records a case event; queuing its PAS notifications, if any, is a step of the use case that records it.</summary>
    internal static Task InsertEventAsync(DbConnection connection, DbTransaction transaction, string id, DateTimeOffset at,
        Actor actor, CaseEventKind kind, CaseStatus? from, CaseStatus? to, string? detail) =>
        connection.ExecuteAsync("""
            INSERT INTO events (authorization_id, at, actor, actor_role, kind, from_status, to_status, detail, actor_issuer, actor_subject, actor_name)
            VALUES (@id, @at, @actor, @role, @kind, @from, @to, @detail, @issuer, @subject, @name)
            """, new
            {
                id, at, actor = actor.Id, role = actor.Role, kind, from, to, detail, issuer = actor.Person?.Issuer, subject = actor.Person?.Subject,
                name = actor.Person?.Name,
            }, transaction);
}
