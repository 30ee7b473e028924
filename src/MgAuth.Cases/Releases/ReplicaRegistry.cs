using Dapper;
using MgAuth.Cases.Data;

namespace MgAuth.Cases.Releases;

/// <summary>A running service process as the others see it: which release it serves, which waits for its effective time.</summary>
public sealed record ReplicaState
{
    public required string Replica { get; init; }
    public required string Host { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset SeenAt { get; init; }
    public required string ServingRelease { get; init; }
    public string? PendingRelease { get; init; }
}

/// <summary>
/// The service processes on one database, each reporting what it serves every time it polls for activations.
/// A replica that stopped reporting for <see cref="Liveness"/> is taken for gone. An activation answers when every
/// live replica serves the release (or holds it for its effective time), so "activated" means "in force everywhere".
/// </summary>
public sealed class ReplicaRegistry(Database database)
{
    /// <summary>This process: a new identity at each start.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];

    private readonly string _host = $"{Environment.MachineName}:{Environment.ProcessId}";

    public TimeSpan Liveness { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reports what this replica serves as of <paramref name="now"/> (its first report is its start).</summary>
    public Task ReportAsync(ActiveRules active, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var serving = active.Current.ReleaseSha256;
        var pending = active.Pending?.Rules.ReleaseSha256;
        // Replicas that ended without leaving (killed, crashed) stay listed a day, for whoever looks into it; swept
        // once, when this replica first reports, not at every poll.
        var sweep = Interlocked.Exchange(ref _swept, 1) == 0;
        return database.Writer.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("""
                INSERT INTO replicas (id, host, started_at, seen_at, serving_release, pending_release)
                VALUES (@Id, @host, @now, @now, @serving, @pending)
                ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, serving_release = excluded.serving_release,
                    pending_release = excluded.pending_release
                """, new { Id, host = _host, now, serving, pending }, transaction);
            if (sweep)
                await connection.ExecuteAsync("DELETE FROM replicas WHERE seen_at < @dayAgo", new { dayAgo = now - TimeSpan.FromDays(1) }, transaction);
        }, cancellationToken);
    }

    private int _swept;

    /// <summary>The replicas that reported within <see cref="Liveness"/> before <paramref name="now"/>, oldest first.</summary>
    public IReadOnlyList<ReplicaState> Live(DateTimeOffset now)
    {
        using var connection = database.Open();
        return connection.Query<ReplicaState>("""
            SELECT id AS Replica, host AS Host, started_at AS StartedAt, seen_at AS SeenAt, serving_release AS ServingRelease,
                pending_release AS PendingRelease
            FROM replicas WHERE seen_at >= @since ORDER BY started_at, id
            """, new { since = now - Liveness }).ToArray();
    }

    /// <summary>
    /// Waits until every live replica serves <paramref name="sha256"/> or holds it for its effective time, or until
    /// <paramref name="timeout"/> on <paramref name="clock"/>; answers the replicas as they stand then.
    /// </summary>
    public async Task<IReadOnlyList<ReplicaState>> WaitForAsync(string sha256, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            var now = clock.GetUtcNow();
            var live = Live(now);
            if (live.All(r => r.ServingRelease == sha256 || r.PendingRelease == sha256) || now >= deadline) return live;
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
        }
    }

    /// <summary>A replica shutting down says so, rather than being waited for until it counts as gone.</summary>
    public Task LeaveAsync(CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync("DELETE FROM replicas WHERE id = @Id", new { Id }, transaction), cancellationToken);
}
