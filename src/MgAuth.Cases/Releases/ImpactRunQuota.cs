using Dapper;
using MgAuth.Cases.Data;

namespace MgAuth.Cases.Releases;

/// <summary>A run taken from a person's daily allowance, or the time until the next day's allowance when none is left.</summary>
public sealed record ImpactRunTaken(bool Allowed, int Run, int PerDay, TimeSpan RetryAfter);

/// <summary>
/// How many impact analyses one person may start per UTC day (<c>Releases:ImpactRunsPerDay</c>, 20): every run reads
/// the stored cases through code that is not yet approved, so each is a question asked of the members' data, and the
/// number of questions bounds what differencing the answers can reveal (README, Security). Counted in one upsert that
/// only increments below the limit, so concurrent runs on any replica can never pass it together.
/// </summary>
public sealed class ImpactRunQuota(Database database, int perDay)
{
    public const int DefaultPerDay = 20;

    public int PerDay => perDay;

    /// <summary>Takes one of <paramref name="person"/>'s runs for the UTC day of <paramref name="now"/>, if one is left.</summary>
    public async Task<ImpactRunTaken> TakeAsync(string person, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var day = now.UtcDateTime.Date;
        long? run = null;
        await database.Writer.WriteAsync(async (connection, transaction) => run = await connection.QuerySingleOrDefaultAsync<long?>("""
            INSERT INTO impact_runs_per_day (person, day, runs) VALUES (@person, @day, 1)
            ON CONFLICT (person, day) DO UPDATE SET runs = impact_runs_per_day.runs + 1
            WHERE impact_runs_per_day.runs < @perDay
            RETURNING runs
            """, new { person, day = DateOnly.FromDateTime(day), perDay }, transaction), cancellationToken);
        var untilTomorrow = day.AddDays(1) - now.UtcDateTime;
        return run is { } taken && taken <= perDay
            ? new ImpactRunTaken(true, (int)taken, perDay, TimeSpan.Zero)
            : new ImpactRunTaken(false, perDay + 1, perDay, untilTomorrow);
    }
}
