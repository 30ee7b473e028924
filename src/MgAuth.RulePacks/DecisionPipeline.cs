using System.Text.Json;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.RulePacks;

/// <summary>
/// What the pipeline made of a request: a decision, or the problem document that rejected the request (every bad
/// field named). One result for every caller — submit, evaluate, supplements, explain, replay, impact, pack cases and
/// the command line.
/// </summary>
public sealed record DecideResult(Decision? Decision, ProblemDocument? Problem)
{
    public static DecideResult Rejected(ProblemDocument problem) => new(null, problem);
}

/// <summary>A request read, validated and matched to its policy, waiting for the member's history to be decided.</summary>
public sealed record ReadRequest(AuthorizationRequest? Request, Policy? Policy, DateOnly AsOf, ProblemDocument? Problem)
{
    /// <summary>Decides the request (a rejected one stays rejected): the only place a request meets the rules.</summary>
    public DecideResult Decide(RulePack pack, IReadOnlyList<PlanApproval>? history = null, bool explain = false) =>
        Problem is not null
            ? DecideResult.Rejected(Problem)
            : new DecideResult(Decider.Decide(pack, Request!, Policy!, AsOf, new DecideOptions { History = history ?? [], Explain = explain }), null);
}

/// <summary>
/// A request the contract refused only for required facts it leaves out (<see cref="IncompleteRequest"/>), matched to its
/// policy: a PAS request pended for the facts, its decision derived from the one reason naming them.
/// </summary>
public sealed record IncompleteRead(IncompleteRequest Request, Policy Policy, DateOnly AsOf)
{
    /// <summary>The decision on the incomplete request under <paramref name="pack"/>'s release: no rule runs on facts that are not there.</summary>
    public Decision Decide(RulePack pack) => DecisionDeriver.Incomplete(Request, Policy, AsOf, pack.Reference);
}

/// <summary>A contract request as its caller holds it: UTF-8 bytes (HTTP, files), text (stored revisions) or parsed JSON (pack cases).</summary>
public readonly record struct RequestJson(byte[]? Bytes, string? Text, JsonElement? Element)
{
    public static implicit operator RequestJson(byte[] bytes) => new(bytes, null, null);

    public static implicit operator RequestJson(string text) => new(null, text, null);

    public static implicit operator RequestJson(JsonElement element) => new(null, null, element);
}

/// <summary>
/// The one way a request becomes a decision, wherever it comes from: read and validate the contract JSON as of a
/// date, find its policy (the request's <c>policyId</c>, a caller's override, or the policy a stored decision was
/// made under), then decide with a pack and the member's history.
/// </summary>
public static class DecisionPipeline
{
    /// <summary>Reads the request and finds its policy in <paramref name="policies"/> (<paramref name="policyId"/> overrides the request's).</summary>
    public static ReadRequest Read(RequestJson json, DateOnly asOf, PolicySet policies, string? policyId = null)
    {
        // The validator, on the JSON as the caller holds it; then the policy (the request's, an override's, or the default).
        var read = json.Bytes is not null ? RequestReader.Read(json.Bytes, asOf)
            : json.Text is not null ? RequestReader.Read(json.Text, asOf)
            : RequestReader.Read(json.Element!.Value, asOf);
        if (read.Problem is not null) return new ReadRequest(null, null, asOf, read.Problem);
        var id = policyId ?? read.Request!.PolicyId;
        return policies.All.GetValueOrDefault(id ?? policies.DefaultId) is { } policy
            ? new ReadRequest(read.Request, policy, asOf, null)
            : new ReadRequest(null, null, asOf, ProblemDocument.InvalidRequest(new Dictionary<string, string[]>
            {
                ["policyId"] = [$"'{id}' is not an active policy; active: {string.Join(", ", policies.All.Keys)}"],
            }));
    }

    /// <summary>
    /// The request <paramref name="refused"/> turned away, read as incomplete when only required facts are missing (none
    /// identifying the member) and its policy is one of <paramref name="policies"/>; null when it is malformed.
    /// </summary>
    public static IncompleteRead? ReadIncomplete(RequestJson json, ReadRequest refused, PolicySet policies, string? policyId = null)
    {
        ArgumentNullException.ThrowIfNull(refused);
        ArgumentNullException.ThrowIfNull(policies);
        if (refused.Problem is not { } problem) return null;
        IncompleteRequest? incomplete;
        try
        {
            if (json.Element is { } element) incomplete = IncompleteRequest.Of(element, problem);
            else
            {
                using var document = json.Bytes is not null ? JsonDocument.Parse(json.Bytes) : JsonDocument.Parse(json.Text!);
                incomplete = IncompleteRequest.Of(document.RootElement, problem);
            }
        }
        catch (JsonException)
        {
            return null;
        }
        if (incomplete is null) return null;
        return policies.All.GetValueOrDefault(policyId ?? incomplete.PolicyId ?? policies.DefaultId) is { } policy
            ? new IncompleteRead(incomplete, policy, refused.AsOf)
            : null;
    }

    /// <summary>The incomplete request under the policy given (a stored decision's, found by its hash).</summary>
    public static IncompleteRead? ReadIncomplete(RequestJson json, ReadRequest refused, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return ReadIncomplete(json, refused, new PolicySet(new Dictionary<string, Policy> { [policy.Id] = policy }, policy.Id), policy.Id);
    }

    /// <summary>Reads the request for the policy given (a stored decision's, found by its hash).</summary>
    public static ReadRequest Read(RequestJson json, DateOnly asOf, Policy policy) =>
        Read(json, asOf, new PolicySet(new Dictionary<string, Policy> { [policy.Id] = policy }, policy.Id), policy.Id);

    /// <summary>Reads and decides in one step, for callers whose history does not depend on the request.</summary>
    public static DecideResult Decide(RulePack pack, PolicySet policies, RequestJson json, DateOnly asOf,
        IReadOnlyList<PlanApproval>? history = null, string? policyId = null, bool explain = false) =>
        Read(json, asOf, policies, policyId).Decide(pack, history, explain);
}
