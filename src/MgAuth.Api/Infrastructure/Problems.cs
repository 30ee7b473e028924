using MgAuth.Cases;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Infrastructure;

/// <summary>RFC 9457 problem documents for every error the service answers with.</summary>
public static class Problems
{
    private const string Base = "https://mgauth.dev/problems/";

    public static JsonHttpResult<ProblemDocument> Result(ProblemDocument problem) =>
        TypedResults.Json(problem, MgAuthJson.Compact, ProblemDocument.MediaType, problem.Status);

    public static JsonHttpResult<ProblemDocument> Of(int status, string slug, string title, string detail,
        IReadOnlyDictionary<string, string[]>? errors = null) =>
        Result(new ProblemDocument(Base + slug, title, status, detail, errors ?? new Dictionary<string, string[]>()));

    public static JsonHttpResult<ProblemDocument> NotFound(string what) => For(Refusal.NotFound(what));

    public static JsonHttpResult<ProblemDocument> Unavailable(string detail) =>
        For(new Refusal(RefusalKind.Unavailable, "The service cannot store decisions right now", detail));

    /// <summary>
    /// The answer of a status no endpoint wrote a body for (the status-code pages): the refusal of a known status, or the
    /// status said as it is.
    /// </summary>
    public static JsonHttpResult<ProblemDocument> ForStatus(int status) =>
        status switch
        {
            401 => For(Security.ApiKeyAuthenticationHandler.SignInRequired),
            403 => For(new Refusal(RefusalKind.Forbidden, "Your role may not do this", "Your role does not allow this request.")),
            404 => For(new Refusal(RefusalKind.NotFound, "Not found", "There is nothing at this address.")),
            405 => For(new Refusal(RefusalKind.MethodNotAllowed, "Method not allowed", "This address does not take that method.")),
            _ => Of(status, "error", "The request failed", $"Status {status}."),
        };

    /// <summary>The one place a refusal becomes an HTTP status and a problem type.</summary>
    public static JsonHttpResult<ProblemDocument> For(Refusal refusal)
    {
        var (status, slug) = Answer(refusal.Kind);
        return Of(status, slug, refusal.Title, refusal.Detail, refusal.Errors);
    }

    /// <summary>The refusal's problem document, with <c>Retry-After</c> (whole seconds) on the response when it passes.</summary>
    public static JsonHttpResult<ProblemDocument> For(Refusal refusal, HttpResponse response)
    {
        if (refusal.RetryAfter is { } after)
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return For(refusal);
    }

    /// <summary>The status a refusal is answered with.</summary>
    public static int StatusOf(Refusal refusal) => Answer(refusal.Kind).Status;

    private static (int Status, string Slug) Answer(RefusalKind kind) =>
        kind switch
        {
            RefusalKind.NotFound => (StatusCodes.Status404NotFound, "not-found"),
            RefusalKind.InvalidRequest => (StatusCodes.Status400BadRequest, "invalid-request"),
            RefusalKind.NotJson => (StatusCodes.Status400BadRequest, "not-json"),
            RefusalKind.NotPended => (StatusCodes.Status409Conflict, "not-pended"),
            RefusalKind.ClaimHeld => (StatusCodes.Status409Conflict, "claimed"),
            RefusalKind.StaleVersion => (StatusCodes.Status412PreconditionFailed, "stale-version"),
            RefusalKind.CaseChanged => (StatusCodes.Status409Conflict, "case-changed"),
            RefusalKind.AlreadyFinal => (StatusCodes.Status409Conflict, "already-final"),
            RefusalKind.NotFinal => (StatusCodes.Status409Conflict, "not-final"),
            RefusalKind.NothingToAppeal => (StatusCodes.Status409Conflict, "nothing-to-appeal"),
            RefusalKind.AppealWindowClosed => (StatusCodes.Status409Conflict, "appeal-window-closed"),
            RefusalKind.AlreadyAppealed => (StatusCodes.Status409Conflict, "already-appealed"),
            RefusalKind.ClinicianRequired => (StatusCodes.Status403Forbidden, "clinician-required"),
            RefusalKind.NpiRequired => (StatusCodes.Status403Forbidden, "npi-required"),
            RefusalKind.IndependentReviewerRequired => (StatusCodes.Status403Forbidden, "independent-reviewer-required"),
            RefusalKind.CannotExplain => (StatusCodes.Status409Conflict, "cannot-explain"),
            RefusalKind.ReleaseRefused => (StatusCodes.Status422UnprocessableEntity, "release-refused"),
            RefusalKind.ActivationRefused => (StatusCodes.Status409Conflict, "activation-refused"),
            RefusalKind.RollbackRefused => (StatusCodes.Status409Conflict, "rollback-refused"),
            RefusalKind.ImpactRefused => (StatusCodes.Status422UnprocessableEntity, "impact-refused"),
            RefusalKind.ImpactStopped => (StatusCodes.Status422UnprocessableEntity, "impact-stopped"),
            RefusalKind.ImpactLimitReached => (StatusCodes.Status429TooManyRequests, "impact-limit-reached"),
            RefusalKind.PersonRequired => (StatusCodes.Status403Forbidden, "person-required"),
            RefusalKind.WorkerQueueFull => (StatusCodes.Status503ServiceUnavailable, "worker-queue-full"),
            RefusalKind.WorkerJobHeld => (StatusCodes.Status429TooManyRequests, "one-job-per-person"),
            RefusalKind.UploadQuotaExceeded => (StatusCodes.Status429TooManyRequests, "upload-quota"),
            RefusalKind.UnknownCdsService => (StatusCodes.Status404NotFound, "unknown-cds-service"),
            RefusalKind.InvalidCdsRequest => (StatusCodes.Status400BadRequest, "invalid-cds-request"),
            RefusalKind.PrefetchRequired => (StatusCodes.Status412PreconditionFailed, "prefetch-required"),
            RefusalKind.UnsupportedMediaType => (StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type"),
            RefusalKind.TooLarge => (StatusCodes.Status413PayloadTooLarge, "too-large"),
            RefusalKind.Unauthenticated => (StatusCodes.Status401Unauthorized, "unauthenticated"),
            RefusalKind.Forbidden => (StatusCodes.Status403Forbidden, "forbidden"),
            RefusalKind.MethodNotAllowed => (StatusCodes.Status405MethodNotAllowed, "method-not-allowed"),
            RefusalKind.TooManyFailedAuthentications => (StatusCodes.Status429TooManyRequests, "too-many-failed-authentications"),
            RefusalKind.RateLimited => (StatusCodes.Status429TooManyRequests, "rate-limited"),
            RefusalKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "unavailable"),
            RefusalKind.Internal => (StatusCodes.Status500InternalServerError, "internal"),
            RefusalKind.InvalidIdempotencyKey => (StatusCodes.Status400BadRequest, "invalid-idempotency-key"),
            RefusalKind.IdempotencyKeyReused => (StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused"),
            RefusalKind.PreconditionRequired => (StatusCodes.Status428PreconditionRequired, "precondition-required"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a refusal with no answer"),
        };
}
