using MgAuth.Api.Infrastructure;
using MgAuth.Api.Review;
using MgAuth.Api.Security;
using MgAuth.Cases;
using MgAuth.Cases.Authorizations;
using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Replay;
using MgAuth.Cases.Review;
using MgAuth.Cases.Security;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Authorizations;

internal sealed record AuthorizationSummary(string AuthorizationId, string MemberId, Indication? Indication, CaseStatus Status, Outcome Decision,
    Urgency Urgency, string ReceivedAt, string DueBy)
{
    public static AuthorizationSummary Of(AuthorizationRow r) =>
        new(r.Id, r.MemberId, r.Indication, r.Status, r.Decision, r.Urgency, r.ReceivedAt.ToString("O"), r.DueBy.ToString("O"));
}

/// <summary>A decision answered with the bytes that were stored: serialized once, sent as kept.</summary>
internal sealed class StoredDecisionResult(int status, byte[] json, string? location) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = json.Length;
        if (location is not null) context.Response.Headers.Location = location;
        await context.Response.Body.WriteAsync(json);
    }
}

/// <summary>Provider portals submit requests and read decisions; plan staff read every case.</summary>
internal static class AuthorizationsApi
{
    public static IEndpointRouteBuilder MapAuthorizations(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Authorizations");
        var providers = group.MapGroup("").RequireAuthorization(Access.Providers);
        var readers = group.MapGroup("").RequireAuthorization(Access.CaseReaders);
        var anyRole = group.MapGroup("").RequireAuthorization(Access.AnyRole);

        providers.MapPost("/authorizations", SubmitAsync).WithIdempotencyKey(Problems.For)
            .WithSummary("Submit an authorization request; decided and stored before the answer")
            .Accepts<AuthorizationRequest>("application/json")
            .Produces<CaseDecision>(StatusCodes.Status201Created).Produces<CaseDecision>(StatusCodes.Status200OK)
            .Produces<ProblemDocument>(StatusCodes.Status400BadRequest, ProblemDocument.MediaType)
            .Produces<ProblemDocument>(StatusCodes.Status422UnprocessableEntity, ProblemDocument.MediaType)
            .Produces<ProblemDocument>(StatusCodes.Status503ServiceUnavailable, ProblemDocument.MediaType);
        readers.MapGet("/authorizations/{id}", GetAsync).ForCase(Tenancy.Visible)
            .WithSummary("A case's current decision with its full trace, the dosing working, the clock and what you may do next");
        readers.MapGet("/authorizations", ListAsync)
            .WithSummary("Cases, newest first, filtered by member and status");
        providers.MapPost("/authorizations/{id}/supplements", SupplementAsync).ForCase(Tenancy.OwnOrganization)
            .WithSummary("Send missing documentation for a pended case (a partial request merged over the original)")
            .Accepts<object>("application/json");
        readers.MapGet("/authorizations/{id}/explain", ExplainAsync).ForCase(Tenancy.Visible)
            .WithSummary("The case decided again by what decided it, with every rule's why-not");
        readers.MapGet("/authorizations/{id}/request", RequestAsync).ForCase(Tenancy.Visible)
            .WithSummary("The request the current decision was made on: as received, or merged with the supplements");
        anyRole.MapPost("/evaluate", EvaluateAsync)
            .WithSummary("Decide without storing: will this request need review?")
            .Accepts<AuthorizationRequest>("application/json");
        return routes;
    }

    private static async Task<Results<StoredDecisionResult, JsonHttpResult<ProblemDocument>>> SubmitAsync(
        HttpRequest http, IdempotencyKey key, AuthorizationService service, IOptions<RequestLimits> limits, Caller caller,
        CancellationToken cancellationToken)
    {
        var body = await RequestBody.JsonAsync(http, limits.Value.MaxRequestBytes);
        if (body.IsRefused(out var unread)) return Problems.For(unread);
        var submitted = await service.SubmitAsync(body.Value, caller.OrganizationId, caller.Actor, key.Value, cancellationToken);
        if (submitted.IsRefused(out var refusal)) return Problems.For(refusal);
        var (decision, json, replayed) = submitted.Value;
        return replayed
            ? new StoredDecisionResult(StatusCodes.Status200OK, ProviderView.Of(decision, json), null)
            : new StoredDecisionResult(StatusCodes.Status201Created, ProviderView.Of(decision, json), $"/v1/authorizations/{decision.AuthorizationId}");
    }

    private static async Task<Results<Ok<CaseAnswer>, JsonHttpResult<ProblemDocument>>> GetAsync(
        RoutedCase routed, HttpContext http, AuthorizationStore store, CaseDecisions cases, CaseAnswers answers, IOptions<ReviewOptions> review,
        Caller caller, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = routed.Row;
        // The engine's decision with what people did since (a determination, an appeal) laid over it.
        var decision = await cases.CurrentAsync(row, cancellationToken);
        if (decision is null) return Problems.NotFound("authorization");
        await store.AddViewedAsync(row, caller.Actor, null, clock.GetUtcNow(), cancellationToken);
        http.Response.Headers.ETag = $"\"{row.Version}\"";
        return TypedResults.Ok(await answers.ForAsync(row, ProviderView.For(caller, decision), caller, review.Value.AppealWithinDays,
            cancellationToken));
    }

    private static async Task<Results<Ok<CaseDecision>, JsonHttpResult<ProblemDocument>>> ExplainAsync(
        RoutedCase routed, AuthorizationStore store, Replayer replayer, Caller caller, CancellationToken cancellationToken)
    {
        var row = routed.Row;
        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken);
        var explained = revision is null ? Replayer.CannotExplain("the case has no stored decision") : replayer.Explain(revision);
        if (explained.IsRefused(out var refusal)) return Problems.For(refusal);
        var explanation = new CaseDecision { AuthorizationId = row.Id, Revision = (int)row.Revision, Decision = explained.Value };
        return TypedResults.Ok(ProviderView.For(caller, explanation, historyOfOthers: ProviderView.HoldsAnotherOrganizations(revision!.History())));
    }

    private static async Task<Results<ContentHttpResult, JsonHttpResult<ProblemDocument>>> RequestAsync(
        RoutedCase routed, AuthorizationStore store, CancellationToken cancellationToken)
    {
        var row = routed.Row;
        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken);
        if (revision is null) return Problems.NotFound("authorization");
        return TypedResults.Content(revision.RequestJson, "application/json; charset=utf-8");
    }

    private static async Task<Results<Ok<Paged<AuthorizationSummary>>, JsonHttpResult<ProblemDocument>>> ListAsync(
        AuthorizationStore store, string? memberId, string? status, int? page, int? pageSize, Caller caller,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CaseStatus? wanted = status is not null && ContractNames.TryParse<CaseStatus>(status, out var s) ? s : null;
        if (status is not null && wanted is null)
            errors["status"] = [$"must be one of {string.Join(", ", ContractNames.All<CaseStatus>())}"];
        if (page is < 1) errors["page"] = ["must be 1 or more"];
        if (pageSize is < 1 or > 200) errors["pageSize"] = ["must be from 1 to 200"];
        if (errors.Count > 0) return Problems.Result(ProblemDocument.InvalidRequest(errors));
        var organization = Roles.SeesAllOrganizations(caller.Role) ? null : caller.OrganizationId;
        var rows = await store.ListAsync(organization, memberId, wanted, page ?? 1, pageSize ?? 50, cancellationToken);
        return TypedResults.Ok(new Paged<AuthorizationSummary>(rows.Items.Select(AuthorizationSummary.Of).ToArray(), rows.Page, rows.PageSize, rows.Total));
    }

    private static async Task<Results<Ok<CaseDecision>, JsonHttpResult<ProblemDocument>>> SupplementAsync(
        RoutedCase routed, HttpRequest http, AuthorizationService service, IOptions<RequestLimits> limits, Caller caller,
        CancellationToken cancellationToken)
    {
        var row = routed.Row;
        if (AuthorizationService.SupplementRefusal(row) is { } notPended) return Problems.For(notPended);
        var body = await RequestBody.JsonAsync(http, limits.Value.MaxRequestBytes);
        if (body.IsRefused(out var unread)) return Problems.For(unread);
        var decision = await service.SupplementAsync(row, body.Value, caller.Actor, cancellationToken);
        return decision.IsRefused(out var refusal) ? Problems.For(refusal) : TypedResults.Ok(ProviderView.Of(decision.Value));
    }

    // Nothing is stored of the request, but every call is audited (who, for which organization, when, what was
    // answered) before the answer goes out; an audit that cannot be written fails the call.
    private static async Task<Results<Ok<Decision>, JsonHttpResult<ProblemDocument>>> EvaluateAsync(
        HttpRequest http, AuthorizationService service, EvaluationAudit audit, IOptions<RequestLimits> limits,
        Caller caller, CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestBody.ReadJsonAsync(http, limits.Value.MaxRequestBytes);
        if (problem is not null)
        {
            await audit.RecordAsync(caller, problem.StatusCode!.Value, null);
            return problem;
        }
        var evaluated = await service.EvaluateAsync(body!, caller, cancellationToken);
        await audit.RecordAsync(caller, evaluated);
        return evaluated.IsRefused(out var refusal) ? Problems.For(refusal) : TypedResults.Ok(evaluated.Value);
    }
}
