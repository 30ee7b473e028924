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

    public static JsonHttpResult<ProblemDocument> NotFound(string what) =>
        Of(StatusCodes.Status404NotFound, "not-found", "Not found", $"There is no {what} you can see with that id.");

    public static JsonHttpResult<ProblemDocument> Unavailable(string detail) =>
        Of(StatusCodes.Status503ServiceUnavailable, "unavailable", "The service cannot store decisions right now", detail);
}
