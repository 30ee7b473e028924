using System.Text.Json;
using MgAuth.Api.Authorizations;
using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases;
using MgAuth.Cases.Authorizations;
using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Review;
using MgAuth.Cases.Security;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Review;

/// <summary>The plan's reviewers and clinicians work pended cases; providers appeal; everyone who may see a case reads its trail and notice.</summary>
internal static class ReviewApi
{
    public static IEndpointRouteBuilder MapReview(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Review");
        var queue = group.MapGroup("").RequireAuthorization(Access.ReviewQueue);
        var reviewers = group.MapGroup("").RequireAuthorization(Access.Reviewers);
        var providers = group.MapGroup("").RequireAuthorization(Access.Providers);
        var readers = group.MapGroup("").RequireAuthorization(Access.CaseReaders);
        queue.MapGet("/review-queue", QueueAsync)
            .WithSummary("Pended cases, most urgent first, with the engine's recommendation, the reasons that pended them and who holds them");
        reviewers.MapPost("/authorizations/{id}/claim", ClaimAsync).ForCase(Tenancy.AnyCase)
            .WithSummary("Hold a pended case while you work it (renews your own claim); 409 when someone else holds it");
        queue.MapGet("/authorizations/{id}/claim", CurrentClaimAsync).ForCase(Tenancy.AnyCase)
            .WithSummary("Who holds the case and until when; 204 when nobody does");
        queue.MapDelete("/authorizations/{id}/claim", ReleaseAsync).ForCase(Tenancy.AnyCase)
            .WithSummary("Give up your claim (an admin may release anyone's)");
        reviewers.MapPost("/authorizations/{id}/determination", DetermineAsync).ForCase(Tenancy.AnyCase)
            .WithSummary("Approve, approve a modified regimen, deny, or request information; needs If-Match with the case's ETag")
            .Accepts<DeterminationBody>("application/json");
        providers.MapPost("/authorizations/{id}/appeals", AppealAsync).ForCase(Tenancy.OwnOrganization)
            .WithSummary("Appeal a denial or a modified approval: a new pended case for a clinician, linked to this one")
            .Accepts<AppealBody>("application/json")
            .Produces<ProblemDocument>(StatusCodes.Status400BadRequest, ProblemDocument.MediaType)
            .Produces<ProblemDocument>(StatusCodes.Status409Conflict, ProblemDocument.MediaType);
        readers.MapGet("/authorizations/{id}/history", HistoryAsync).ForCase(Tenancy.Visible)
            .WithSummary("The case's audit trail: every event, oldest first, with actor, time and status before and after");
        readers.MapGet("/authorizations/{id}/notice", NoticeAsync).ForCase(Tenancy.Visible)
            .WithSummary("The written notice of a final decision: JSON, or HTML with Accept: text/html");
        return routes;
    }

    private static async Task<Results<Ok<ReviewQueue>, JsonHttpResult<ProblemDocument>>> QueueAsync(
        ReviewService review, string? recommendation, string? indication, string? urgency, string? overdue,
        int? page, int? pageSize, Caller caller, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Outcome? recommended = recommendation is not null && ContractNames.TryParse<Outcome>(recommendation, out var r)
            && QueueFilterValues.Recommendations.Contains(r)
            ? r : null;
        if (recommendation is not null && recommended is null)
            errors["recommendation"] = [$"must be {string.Join(" or ", QueueFilterValues.Recommendations.Select(o => ContractNames.Of(o)))}"];
        Indication? indicated = indication is not null && ContractNames.TryParse<Indication>(indication, out var i) ? i : null;
        if (indication is not null && indicated is null)
            errors["indication"] = [$"must be one of {string.Join(", ", ContractNames.All<Indication>())}"];
        Urgency? urgent = urgency is not null && ContractNames.TryParse<Urgency>(urgency, out var u) ? u : null;
        if (urgency is not null && urgent is null)
            errors["urgency"] = [$"must be one of {string.Join(", ", ContractNames.All<Urgency>())}"];
        bool? isOverdue = overdue switch { null => null, "true" => true, "false" => false, _ => null };
        if (overdue is not null && isOverdue is null) errors["overdue"] = ["must be true or false"];
        if (page is < 1) errors["page"] = ["must be 1 or more"];
        if (pageSize is < 1 or > 200) errors["pageSize"] = ["must be from 1 to 200"];
        if (errors.Count > 0) return Problems.Result(ProblemDocument.InvalidRequest(errors));

        var filter = new QueueFilter(recommended, indicated, urgent, isOverdue, page ?? 1, pageSize ?? 50);
        return TypedResults.Ok(await review.QueueAsync(filter, caller, cancellationToken));
    }

    private static async Task<Results<Ok<ClaimView>, JsonHttpResult<ProblemDocument>>> ClaimAsync(
        RoutedCase routed, ReviewService review, Caller caller, CancellationToken cancellationToken)
    {
        var claim = await review.ClaimAsync(routed.Row, caller, cancellationToken);
        return claim.IsRefused(out var refusal) ? Problems.For(refusal) : TypedResults.Ok(claim.Value);
    }

    private static async Task<Results<Ok<ClaimView>, NoContent, JsonHttpResult<ProblemDocument>>> CurrentClaimAsync(
        RoutedCase routed, ReviewService review, Caller caller, CancellationToken cancellationToken)
    {
        var claim = await review.CurrentClaimAsync(routed.Row, caller, cancellationToken);
        return claim is null ? TypedResults.NoContent() : TypedResults.Ok(claim);
    }

    private static async Task<Results<NoContent, JsonHttpResult<ProblemDocument>>> ReleaseAsync(
        RoutedCase routed, ReviewService review, Caller caller, CancellationToken cancellationToken)
    {
        var released = await review.ReleaseAsync(routed.Row, caller, cancellationToken);
        return released.IsRefused(out var refusal) ? Problems.For(refusal) : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CaseDecision>, JsonHttpResult<ProblemDocument>>> DetermineAsync(
        string id, RoutedCase routed, HttpRequest http, ReviewService review, IOptions<RequestLimits> limits, Caller caller,
        CancellationToken cancellationToken)
    {
        var row = routed.Row;
        var ifMatch = http.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0 || ifMatch.Trim() == "*")
            return Problems.For(new Refusal(RefusalKind.PreconditionRequired, "Say which version of the case you decided on",
                $"Send If-Match with the ETag of the case as you read it (GET /v1/authorizations/{id} answers it, e.g. \"{row.Version}\")."));
        var body = await RequestBody.JsonAsync(http, limits.Value.MaxRequestBytes);
        if (body.IsRefused(out var unread)) return Problems.For(unread);
        var (request, action, invalid) = DeterminationRequest.Read(body.Value, caller.Npi);
        // A role that may not take the action hears so first, whatever else the body lacks.
        if (invalid is not null && action is { } asked && await review.RefusalAsync(row, asked, caller, cancellationToken) is { } refused)
            return Problems.For(refused);
        if (invalid is not null) return Problems.Result(invalid);

        var seen = SeenVersion(ifMatch) ?? -1;
        var determined = await review.DetermineAsync(row, request!, caller, seen, cancellationToken);
        if (determined.IsRefused(out var refusal)) return Problems.For(refusal);
        http.HttpContext.Response.Headers.ETag = $"\"{determined.Value.Version}\"";
        return TypedResults.Ok(determined.Value.Decision);
    }

    private static async Task<Results<Created<CaseDecision>, JsonHttpResult<ProblemDocument>>> AppealAsync(
        RoutedCase routed, HttpRequest http, ReviewService review, IOptions<RequestLimits> limits, Caller caller,
        CancellationToken cancellationToken)
    {
        var row = routed.Row;
        var json = await RequestBody.JsonAsync(http, limits.Value.MaxRequestBytes);
        if (json.IsRefused(out var unread)) return Problems.For(unread);
        AppealBody? body;
        try { body = JsonSerializer.Deserialize<AppealBody>(json.Value, MgAuthJson.Compact); }
        catch (JsonException e) { return Problems.Result(ProblemDocument.NotJson(e.Message)); }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body?.Reason)) errors["reason"] = ["is required: why the decision should be changed"];
        else if (body.Reason.Length > DeterminationRequest.MaxRationale) errors["reason"] = [$"must be at most {DeterminationRequest.MaxRationale} characters"];
        if (body?.Urgency is { } u && !ContractNames.TryParse<Urgency>(u, out _))
            errors["urgency"] = [$"must be one of {string.Join(", ", ContractNames.All<Urgency>())}"];
        if (errors.Count > 0) return Problems.Result(ProblemDocument.InvalidRequest(errors));

        var appeal = await review.AppealAsync(row, body!, caller, cancellationToken);
        if (appeal.IsRefused(out var refusal)) return Problems.For(refusal);
        return TypedResults.Created($"/v1/authorizations/{appeal.Value.AuthorizationId}", ProviderView.Of(appeal.Value));
    }

    private static async Task<Results<Ok<CaseHistory>, JsonHttpResult<ProblemDocument>>> HistoryAsync(
        RoutedCase routed, AuthorizationStore store, Caller caller, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = routed.Row;
        var events = await store.EventsAsync(row.Id, cancellationToken);
        await store.AddViewedAsync(row, caller.Actor, "history", clock.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(CaseHistory.Of(row.Id, events));
    }

    private static async Task<Results<Ok<Notice>, ContentHttpResult, JsonHttpResult<ProblemDocument>>> NoticeAsync(
        RoutedCase routed, HttpContext http, AuthorizationStore store, ReviewService review, Caller caller, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var row = routed.Row;
        var notice = await review.NoticeAsync(row, caller, cancellationToken);
        if (notice.IsRefused(out var refusal)) return Problems.For(refusal);
        var html = PrefersHtml(http.Request);
        await store.AddViewedAsync(row, caller.Actor, html ? "notice (html)" : "notice", clock.GetUtcNow(), cancellationToken);
        http.Response.Headers.Vary = "Accept";
        if (!html) return TypedResults.Ok(notice.Value);
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        return TypedResults.Content(NoticeHtml.Render(notice.Value), "text/html; charset=utf-8");
    }

    /// <summary>HTML when the client ranks text/html above JSON (a browser does); JSON otherwise.</summary>
    private static bool PrefersHtml(HttpRequest request)
    {
        double html = 0, json = 0;
        foreach (var type in request.GetTypedHeaders().Accept)
        {
            var q = type.Quality ?? 1;
            if (type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)) html = Math.Max(html, q);
            else if (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)) json = Math.Max(json, q);
        }
        return html > json;
    }

    /// <summary>The version in an If-Match ETag ("3", W/"3", or the first of a list); null when it names none.</summary>
    private static long? SeenVersion(string ifMatch)
    {
        var first = ifMatch.Split(',')[0].Trim();
        if (first.StartsWith("W/", StringComparison.Ordinal)) first = first[2..];
        return long.TryParse(first.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : null;
    }
}
