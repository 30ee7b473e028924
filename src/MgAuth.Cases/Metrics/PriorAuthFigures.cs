using Dapper;
using MgAuth.Cases.Data;
using MgAuth.Domain.Decisions;

namespace MgAuth.Cases.Metrics;

/// <summary>The CMS public-reporting figures of one urgency ("all", "standard" or "expedited") for requests received in a period.</summary>
public sealed record UrgencyFigures(
    int Requests, int Approved, int Denied, int Pended, double ApprovedPercent, double DeniedPercent, double PendedPercent,
    int ApprovedAfterReview, double? AverageDecisionHours, double? MedianDecisionHours);

/// <summary>
/// Aggregates the figures in the database — counts by urgency and status, average and median hours from receipt to
/// decision — so a year of requests is never loaded into the service. "Approved after review" is the flag the stores
/// set when a pended case is approved (a supplement re-decided, a reviewer's determination).
/// </summary>
public sealed class PriorAuthFigures(Database database)
{
    public static readonly string[] Urgencies = ["all", "standard", "expedited"];

    // Settable properties, not positional records: on SQLite an empty result has no column types for Dapper to match a constructor to.
    private sealed class StatusCount
    {
        public string Urgency { get; init; } = "";
        public CaseStatus Status { get; init; }
        public long Count { get; init; }
        public long ApprovedAfterReview { get; init; }
    }

    private sealed class DecisionHours
    {
        public string Urgency { get; init; } = "";
        public double? Average { get; init; }
        public double? Median { get; init; }
    }

    /// <summary>Figures for requests received from <paramref name="from"/> through <paramref name="to"/> (whole days, UTC).</summary>
    public async Task<IReadOnlyDictionary<string, UrgencyFigures>> ForPeriodAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var period = new { from, to = to.AddDays(1) };
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = (await connection.QueryAsync<StatusCount>(new CommandDefinition("""
            SELECT urgency AS Urgency, status AS Status, COUNT(*) AS Count, SUM(approved_after_review) AS ApprovedAfterReview
            FROM authorizations WHERE received_at >= @from AND received_at < @to
            GROUP BY urgency, status
            """, period, cancellationToken: cancellationToken))).ToArray();
        // The median is the mean of the one or two middle rows by rank, with window functions both databases have.
        var hours = (await connection.QueryAsync<DecisionHours>(new CommandDefinition($"""
            WITH decided AS (
                SELECT urgency, {HoursToDecision} AS hours FROM authorizations
                WHERE received_at >= @from AND received_at < @to AND decided_at IS NOT NULL),
            grouped AS (
                SELECT urgency, hours FROM decided UNION ALL SELECT 'all', hours FROM decided),
            ranked AS (
                SELECT urgency, hours, AVG(hours) OVER (PARTITION BY urgency) AS average,
                    ROW_NUMBER() OVER (PARTITION BY urgency ORDER BY hours) AS position, COUNT(*) OVER (PARTITION BY urgency) AS total
                FROM grouped)
            SELECT urgency AS Urgency, MAX(average) AS Average, AVG(hours) AS Median FROM ranked
            WHERE position IN ((total + 1) / 2, (total + 2) / 2)
            GROUP BY urgency
            """, period, cancellationToken: cancellationToken))).ToDictionary(h => h.Urgency);

        return Urgencies.ToDictionary(u => u, u =>
        {
            var rows = counts.Where(c => u == "all" || c.Urgency == u).ToArray();
            var time = hours.GetValueOrDefault(u);
            return Figures(rows, time);
        });
    }

    // Hours from receipt to decision, both stored as ISO 8601 text with their offset.
    private string HoursToDecision => database.Provider == StorageProvider.Postgres
        ? "EXTRACT(EPOCH FROM (decided_at::timestamptz - received_at::timestamptz)) / 3600.0"
        : "(julianday(decided_at) - julianday(received_at)) * 24.0";

    private static UrgencyFigures Figures(IReadOnlyList<StatusCount> rows, DecisionHours? hours)
    {
        var requests = (int)rows.Sum(r => r.Count);
        int Count(CaseStatus status) => (int)rows.Where(r => r.Status == status).Sum(r => r.Count);
        double Percent(int n) => requests == 0 ? 0 : Math.Round(100.0 * n / requests, 1);
        var approved = Count(CaseStatus.Approved);
        var denied = Count(CaseStatus.Denied);
        var pended = Count(CaseStatus.Pended);
        var afterReview = (int)rows.Where(r => r.Status == CaseStatus.Approved).Sum(r => r.ApprovedAfterReview);
        return new UrgencyFigures(requests, approved, denied, pended, Percent(approved), Percent(denied), Percent(pended), afterReview,
            Hours(hours?.Average), Hours(hours?.Median));
    }

    // Rounded to hundredths; a decision on arrival is 0, not a floating-point remainder of subtracting two equal times.
    private static double? Hours(double? value) => value is { } v ? Math.Round(Math.Abs(v) < 1e-9 ? 0 : v, 2) : null;
}
