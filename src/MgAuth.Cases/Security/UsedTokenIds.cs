using Dapper;
using MgAuth.Cases.Data;

namespace MgAuth.Cases.Security;

/// <summary>
/// The JWT ids (<c>jti</c>) each issuer has used, in the database so that every replica sees them: the unique insert of
/// (issuer, jti) is the token's first use, and any later one is a replay. A row is kept until its token can no longer be
/// accepted (its <c>exp</c> and the clock skew); rows past that are purged at most once a minute per process, and a row
/// past it that is still there does not refuse a new token that happens to reuse the id.
/// </summary>
public sealed class UsedTokenIds(Database database, TimeProvider clock)
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);
    private long _nextPurgeTicks;

    /// <summary>Records the id as used until <paramref name="keepUntil"/>; false when it was already used and still kept.</summary>
    public async Task<bool> FirstUseAsync(string issuer, string jti, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var purge = PurgeDue(now);
        var inserted = 0;
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            if (purge) await connection.ExecuteAsync("DELETE FROM used_token_ids WHERE keep_until < @now", new { now }, transaction);
            inserted = await connection.ExecuteAsync("""
                INSERT INTO used_token_ids (issuer, jti, keep_until) VALUES (@issuer, @jti, @keepUntil)
                ON CONFLICT (issuer, jti) DO UPDATE SET keep_until = excluded.keep_until WHERE used_token_ids.keep_until < @now
                """, new { issuer, jti, keepUntil = keepUntil.ToUniversalTime(), now }, transaction);
        }, cancellationToken);
        return inserted == 1;
    }

    private bool PurgeDue(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextPurgeTicks);
        return now.UtcTicks >= next && Interlocked.CompareExchange(ref _nextPurgeTicks, (now + PurgeInterval).UtcTicks, next) == next;
    }
}
