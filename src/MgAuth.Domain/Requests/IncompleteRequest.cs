using System.Text.Json;

namespace MgAuth.Domain.Requests;

/// <summary>
/// A contract request that names the member and is well-formed in every field it sends, but leaves out fields the
/// contract requires: the facts are missing, the request is not malformed. Only a PAS request is taken so (PAS pends a
/// request missing clinical facts, A4); a contract request sent to /v1 missing a required field stays a 400.
/// </summary>
/// <param name="MemberId">The member the request names (<c>member.id</c>).</param>
/// <param name="Urgency">The urgency asked for (standard when not sent).</param>
/// <param name="PolicyId">The policy the request names, or null for the default.</param>
/// <param name="Missing">The contract fields left out, e.g. <c>indication</c>, <c>priorTherapies[0].outcome</c>, in ordinal order.</param>
public sealed record IncompleteRequest(string MemberId, Urgency Urgency, string? PolicyId, IReadOnlyList<string> Missing)
{
    private const string Required = "is required";

    // Without these the request names no member (the member id, and the demographics X12 278 and PAS identify a patient by).
    private static readonly HashSet<string> Identifying = new(StringComparer.Ordinal) { "member", "member.id", "member.birthDate", "member.sex" };

    /// <summary>
    /// The missing contract fields, when every error of the contract validation is a required field left absent (and
    /// none identifies the member); null when any error is something else (a bad value), which stays a 400.
    /// </summary>
    public static IReadOnlyList<string>? MissingOnly(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0) return null;
        foreach (var (field, messages) in errors)
            if (Identifying.Contains(field) || messages.Any(m => m != Required)) return null;
        return errors.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The request <paramref name="problem"/> refused, read as incomplete: null unless the problem names required fields
    /// only (<see cref="MissingOnly"/>). The validator found every field sent well-formed, so the member id, urgency and
    /// policy are read as they were sent.
    /// </summary>
    public static IncompleteRequest? Of(JsonElement root, ProblemDocument problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Type != ProblemDocument.InvalidRequestType || MissingOnly(problem.Errors) is not { } missing) return null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("member", out var member)
            || member.ValueKind != JsonValueKind.Object || !member.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            return null;
        var urgency = root.TryGetProperty("urgency", out var u) && u.ValueKind == JsonValueKind.String
            && ContractNames.TryParse<Urgency>(u.GetString()!, out var asked) ? asked : Urgency.Standard;
        var policyId = root.TryGetProperty("policyId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return new IncompleteRequest(id.GetString()!, urgency, policyId, missing);
    }
}
