using System.Data.Common;
using Dapper;
using MgAuth.Cases.Data;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;

namespace MgAuth.Cases.Subscriptions;

/// <summary>
/// PAS subscriptions, the outbox of their notifications and the record of each delivery. A notification is queued
/// in the transaction that records the case event causing it: the use case that changes the case writes
/// <see cref="NotificationsOf"/> as a step of that transaction, so a decision is never stored without its
/// notification, nor a notification sent for a decision that was rolled back.
/// </summary>
public sealed class SubscriptionStore(Database database)
{
    public const string Requested = "requested";
    public const string Active = "active";
    public const string Error = "error";
    public const string Off = "off";

    public const string Handshake = "handshake";
    public const string EventNotification = "event-notification";

    private const string Pending = "pending";
    private const string Delivered = "delivered";
    private const string Failed = "failed";

    private const string Columns = """
        id AS Id, organization_id AS OrganizationId, created_by AS CreatedBy, created_at AS CreatedAt, status AS Status,
        reason AS Reason, endpoint AS Endpoint, headers_json AS HeadersJson, end_at AS EndAt, event_count AS EventCount
        """;

    private const string NotificationColumns = """
        id AS Id, subscription_id AS SubscriptionId, kind AS Kind, authorization_id AS AuthorizationId, event_number AS EventNumber,
        created_at AS CreatedAt, status AS Status, attempts AS Attempts, delivered_at AS DeliveredAt
        """;

    /// <summary>
    /// Stores a new subscription with its handshake queued (the endpoint is tried before any result goes to it), unless
    /// the organization already holds <paramref name="limit"/> that are not off: false then, and nothing is stored. The
    /// count and the insert are one statement in one write, so concurrent creates never pass the limit: SQLite has one
    /// writer; on PostgreSQL (READ COMMITTED, several replicas) creates for one organization first lock its row, so each
    /// counts what the one before it committed.
    /// </summary>
    public async Task<bool> CreateAsync(SubscriptionRow row, int limit, CancellationToken cancellationToken = default)
    {
        var created = false;
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            if (database.Provider == StorageProvider.Postgres)
                await connection.ExecuteAsync("SELECT 1 FROM organizations WHERE id = @OrganizationId FOR NO KEY UPDATE", row, transaction);
            var parameters = new DynamicParameters(row);
            parameters.Add("limit", limit);
            created = await connection.ExecuteAsync("""
                INSERT INTO subscriptions (id, organization_id, created_by, created_at, status, reason, endpoint, headers_json, end_at, event_count)
                SELECT @Id, @OrganizationId, @CreatedBy, @CreatedAt, @Status, @Reason, @Endpoint, @HeadersJson, @EndAt, 0
                WHERE (SELECT COUNT(*) FROM subscriptions WHERE organization_id = @OrganizationId AND status <> 'off') < @limit
                """, parameters, transaction) == 1;
            if (!created) return;
            await connection.ExecuteAsync("""
                INSERT INTO notifications (subscription_id, kind, authorization_id, event_number, created_at, status, attempts, next_attempt_at)
                VALUES (@Id, 'handshake', NULL, 0, @CreatedAt, 'pending', 0, @CreatedAt)
                """, row, transaction);
        }, cancellationToken);
        return created;
    }

    public async Task<SubscriptionRow?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SubscriptionRow>($"SELECT {Columns} FROM subscriptions WHERE id = @id", new { id });
    }

    /// <summary>Ends a subscription: nothing more is queued for it, and what is queued is not sent.</summary>
    public Task EndAsync(string id, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("UPDATE subscriptions SET status = 'off' WHERE id = @id", new { id }, transaction);
            await connection.ExecuteAsync("UPDATE notifications SET status = 'failed', lease_until = NULL WHERE subscription_id = @id AND status = 'pending'",
                new { id }, transaction);
        }, cancellationToken);

    /// <summary>
    /// The outbox step of a case event, for the use case to write in the event's transaction: an event notification
    /// queued for every live subscription of the case's organization when the event makes a new result available (a
    /// pended case decided, approved or denied, or still pended but asking the provider for information); null when it does not.
    /// </summary>
    public static Func<DbConnection, DbTransaction, Task>? NotificationsOf(string authorizationId, DateTimeOffset at, CaseEventKind kind,
        CaseStatus? from, CaseStatus? to) =>
        IsNewResult(kind, from, to) ? (connection, transaction) => QueueEventAsync(connection, transaction, authorizationId, at) : null;

    private static async Task QueueEventAsync(DbConnection connection, DbTransaction transaction, string authorizationId, DateTimeOffset at)
    {
        var subscriptions = await connection.QueryAsync<(string Id, long EventCount)>("""
            UPDATE subscriptions SET event_count = event_count + 1
            WHERE status <> 'off' AND (end_at IS NULL OR end_at > @at)
              AND organization_id = (SELECT organization_id FROM authorizations WHERE id = @authorizationId)
            RETURNING id, event_count
            """, new { authorizationId, at }, transaction);
        foreach (var (id, number) in subscriptions)
            await connection.ExecuteAsync("""
                INSERT INTO notifications (subscription_id, kind, authorization_id, event_number, created_at, status, attempts, next_attempt_at)
                VALUES (@id, 'event-notification', @authorizationId, @number, @at, 'pending', 0, @at)
                """, new { id, authorizationId, number, at }, transaction);
    }

    /// <summary>A result the EHR has not had: a pended case decided, or a reviewer asking the provider for documentation.</summary>
    public static bool IsNewResult(CaseEventKind kind, CaseStatus? from, CaseStatus? to) =>
        from == CaseStatus.Pended
        && (to is CaseStatus.Approved or CaseStatus.Denied || (to == CaseStatus.Pended && kind == CaseEventKind.InformationRequested));

    /// <summary>Whether any notification is due: a read, so that an idle poll never takes the writer.</summary>
    public async Task<bool> AnyDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>("""
            SELECT 1 FROM notifications WHERE status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now) LIMIT 1
            """, new { now }) is not null;
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> due notifications for one delivery attempt each, leased until
    /// <paramref name="leaseUntil"/> so that another replica does not send them too.
    /// </summary>
    public async Task<IReadOnlyList<(NotificationRow Notification, SubscriptionRow Subscription)>> TakeDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit,
        CancellationToken cancellationToken = default)
    {
        NotificationRow[] taken = [];
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            // The outer conditions are checked again on the row a concurrent replica may just have leased (PostgreSQL re-reads it).
            taken = (await connection.QueryAsync<NotificationRow>($"""
                UPDATE notifications SET lease_until = @leaseUntil, attempts = attempts + 1
                WHERE id IN (SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= @now
                                 AND (lease_until IS NULL OR lease_until <= @now) ORDER BY id LIMIT @limit)
                  AND status = 'pending' AND (lease_until IS NULL OR lease_until <= @now)
                RETURNING {NotificationColumns}
                """, new { now, leaseUntil, limit }, transaction)).OrderBy(n => n.Id).ToArray();
        }, cancellationToken);
        if (taken.Length == 0) return [];
        // One query per subscription, not IN @list: Dapper expands a list on SQLite but sends an array to PostgreSQL.
        var subscriptions = new Dictionary<string, SubscriptionRow>();
        foreach (var id in taken.Select(n => n.SubscriptionId).Distinct())
            subscriptions[id] = (await FindAsync(id, cancellationToken))!;
        return taken.Select(n => (n, subscriptions[n.SubscriptionId])).ToArray();
    }

    /// <summary>
    /// Records an attempt and what follows: delivered (the subscription is active), another try at <paramref name="retryAt"/>,
    /// or, with no retry left, given up (the subscription is in error until a later delivery succeeds).
    /// </summary>
    public Task RecordAsync(NotificationRow notification, DeliveryResult result, DateTimeOffset at, DateTimeOffset? retryAt,
        CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("""
                INSERT INTO deliveries (notification_id, attempt, at, http_status, error, elapsed_ms)
                VALUES (@Id, @Attempts, @at, @HttpStatus, @Error, @ElapsedMs)
                """, new { notification.Id, notification.Attempts, at, result.HttpStatus, result.Error, result.ElapsedMs }, transaction);
            var (status, subscriptionStatus) = result.Delivered ? (Delivered, Active) : retryAt is null ? (Failed, Error) : (Pending, (string?)null);
            await connection.ExecuteAsync("""
                UPDATE notifications SET status = @status, lease_until = NULL, next_attempt_at = COALESCE(@retryAt, next_attempt_at),
                    delivered_at = @deliveredAt
                WHERE id = @Id AND status = 'pending'
                """, new { status, retryAt, deliveredAt = result.Delivered ? at : (DateTimeOffset?)null, notification.Id }, transaction);
            if (subscriptionStatus is not null)
                await connection.ExecuteAsync("UPDATE subscriptions SET status = @subscriptionStatus WHERE id = @SubscriptionId AND status <> 'off'",
                    new { subscriptionStatus, notification.SubscriptionId }, transaction);
        }, cancellationToken);

    /// <summary>A subscription's notifications, newest first, with every attempt to deliver each.</summary>
    public async Task<IReadOnlyList<(NotificationRow Notification, DeliveryRow[] Attempts)>> DeliveriesAsync(string subscriptionId, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var notifications = (await connection.QueryAsync<NotificationRow>(
            $"SELECT {NotificationColumns} FROM notifications WHERE subscription_id = @subscriptionId ORDER BY id DESC LIMIT @limit",
            new { subscriptionId, limit })).ToArray();
        var attempts = (await connection.QueryAsync<DeliveryRow>("""
            SELECT notification_id AS NotificationId, attempt AS Attempt, at AS At, http_status AS HttpStatus, error AS Error, elapsed_ms AS ElapsedMs
            FROM deliveries
            WHERE notification_id IN (SELECT id FROM notifications WHERE subscription_id = @subscriptionId ORDER BY id DESC LIMIT @limit)
            ORDER BY notification_id, attempt
            """, new { subscriptionId, limit })).ToLookup(d => d.NotificationId);
        return notifications.Select(n => (n, attempts[n.Id].ToArray())).ToArray();
    }
}
