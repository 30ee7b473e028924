using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases.Data;
using MgAuth.Domain.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Metrics;

public sealed record UrgencyFigures(
    int Requests, int Approved, int Denied, int Pended, double ApprovedPercent, double DeniedPercent, double PendedPercent,
    int ApprovedAfterReview, double? AverageDecisionHours, double? MedianDecisionHours);

public sealed record PriorAuthMetrics(string From, string To, UrgencyFigures All, UrgencyFigures Standard, UrgencyFigures Expedited);

/// <summary>The CMS prior-authorization public-reporting figures for a period of received requests.</summary>
public static class PriorAuthMetricsApi
{
    public static IEndpointRouteBuilder MapPriorAuthMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/metrics/prior-auth", GetAsync).WithTags("Metrics").RequireAuthorization(Access.Staff)
            .WithSummary("Approved, denied and pended counts and decision times, standard and expedited");
        return routes;
    }

    private static async Task<Results<Ok<PriorAuthMetrics>, JsonHttpResult<ProblemDocument>>> GetAsync(
        AuthorizationStore store, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var fromDate = ParseDate(from, "from", errors);
        var toDate = ParseDate(to, "to", errors);
        if (errors.Count == 0 && fromDate > toDate) errors["to"] = ["must not be before from"];
        if (errors.Count > 0) return Problems.Result(ProblemDocument.InvalidRequest(errors));

        var rows = await store.ReceivedBetweenAsync(fromDate!.Value.ToString("yyyy-MM-dd"),
            toDate!.Value.AddDays(1).ToString("yyyy-MM-dd"), cancellationToken);
        return TypedResults.Ok(new PriorAuthMetrics(from!, to!, Figures(rows),
            Figures(rows.Where(r => r.Urgency == "standard").ToArray()), Figures(rows.Where(r => r.Urgency == "expedited").ToArray())));
    }

    private static DateOnly? ParseDate(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null) { errors[name] = ["is required (YYYY-MM-DD)"]; return null; }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date)) return date;
        errors[name] = ["must be a date in the form YYYY-MM-DD"];
        return null;
    }

    public static UrgencyFigures Figures(IReadOnlyList<AuthorizationRow> rows)
    {
        int Count(string status) => rows.Count(r => r.Status == status);
        double Percent(int n) => rows.Count == 0 ? 0 : Math.Round(100.0 * n / rows.Count, 1);
        var hours = rows.Where(r => r.DecidedAt is not null)
            .Select(r => (DateTimeOffset.Parse(r.DecidedAt!) - DateTimeOffset.Parse(r.ReceivedAt)).TotalHours)
            .Order().ToArray();
        var approved = Count("approved");
        var denied = Count("denied");
        var pended = Count("pended");
        // Approved after review: approved, but not by the engine on arrival (a supplement or a reviewer's determination).
        var afterReview = rows.Count(r => r.Status == "approved" && r.DecidedAt != r.ReceivedAt);
        return new UrgencyFigures(rows.Count, approved, denied, pended, Percent(approved), Percent(denied), Percent(pended), afterReview,
            hours.Length == 0 ? null : Math.Round(hours.Average(), 2),
            hours.Length == 0 ? null : Math.Round(hours.Length % 2 == 1 ? hours[hours.Length / 2] : (hours[hours.Length / 2 - 1] + hours[hours.Length / 2]) / 2, 2));
    }
}
