using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases.Metrics;
using MgAuth.Domain.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Metrics;

internal sealed record PriorAuthMetrics(string From, string To, UrgencyFigures All, UrgencyFigures Standard, UrgencyFigures Expedited);

/// <summary>The CMS prior-authorization public-reporting figures for a period of received requests (the current calendar year by default).</summary>
internal static class PriorAuthMetricsApi
{
    public static IEndpointRouteBuilder MapPriorAuthMetrics(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/metrics").WithTags("Metrics").RequireAuthorization(Access.Staff);
        group.MapGet("/prior-auth", GetAsync)
            .WithSummary("Approved, denied and pended counts and decision times, standard and expedited; from/to default to the current year");
        return routes;
    }

    /// <summary>What the figures are read with.</summary>
    internal sealed record FigureServices(PriorAuthFigures Figures, TimeProvider Clock);

    private static async Task<Results<Ok<PriorAuthMetrics>, JsonHttpResult<ProblemDocument>>> GetAsync(
        [AsParameters] FigureServices services, string? from, string? to, CancellationToken cancellationToken)
    {
        var year = services.Clock.GetUtcNow().Year;
        var errors = new Dictionary<string, string[]>();
        var fromDate = ParseDate(from, "from", new DateOnly(year, 1, 1), errors);
        var toDate = ParseDate(to, "to", new DateOnly(year, 12, 31), errors);
        if (errors.Count == 0 && fromDate > toDate) errors["to"] = ["must not be before from"];
        if (errors.Count > 0) return Problems.Result(ProblemDocument.InvalidRequest(errors));

        var byUrgency = await services.Figures.ForPeriodAsync(fromDate, toDate, cancellationToken);
        return TypedResults.Ok(new PriorAuthMetrics(fromDate.ToString("yyyy-MM-dd"), toDate.ToString("yyyy-MM-dd"),
            byUrgency["all"], byUrgency["standard"], byUrgency["expedited"]));
    }

    private static DateOnly ParseDate(string? text, string name, DateOnly absent, Dictionary<string, string[]> errors)
    {
        if (text is null) return absent;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date)) return date;
        errors[name] = ["must be a date in the form YYYY-MM-DD"];
        return absent;
    }
}
