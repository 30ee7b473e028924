using System.Globalization;
using System.Text.Json.Serialization;

namespace MgAuth.Domain.Requests;

/// <summary>
/// An RFC 9457 problem document for a rejected request. <see cref="Errors"/> maps each offending field path
/// (camelCase, dotted, array items as <c>priorTherapies[1].months</c>; <c>$</c> for the whole body) to its messages.
/// </summary>
public sealed record ProblemDocument(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("errors")] IReadOnlyDictionary<string, string[]> Errors)
{
    public const string MediaType = "application/problem+json";
    public const string InvalidRequestType = "https://mgauth.dev/problems/invalid-request";
    public const string NotJsonType = "https://mgauth.dev/problems/not-json";

    /// <summary>The key for an error about the body as a whole.</summary>
    public const string RootPath = "$";

    /// <summary>The request is JSON but breaks the contract: missing fields, wrong types, values out of range.</summary>
    public static ProblemDocument InvalidRequest(IReadOnlyDictionary<string, string[]> errors) => new(
        InvalidRequestType,
        "The request is invalid",
        400,
        errors.Count == 1
            ? "1 field is invalid."
            : string.Create(CultureInfo.InvariantCulture, $"{errors.Count} fields are invalid."),
        errors);

    /// <summary>The body could not be read as a JSON object at all.</summary>
    public static ProblemDocument NotJson(string message) => new(
        NotJsonType,
        "The request is not valid JSON",
        400,
        "The request body must be a single JSON object.",
        new Dictionary<string, string[]> { [RootPath] = [message] });
}
