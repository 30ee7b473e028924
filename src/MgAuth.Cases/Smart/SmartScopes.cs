namespace MgAuth.Cases.Smart;

/// <summary>
/// The SMART system scopes a provider's system may hold: one per thing its endpoints let it do (submit and read its
/// organization's requests, ask for their current answer, subscribe to their results). A token carries those of the
/// requested scopes the client is registered for, and nothing else.
/// </summary>
public static class SmartScopes
{
    /// <summary>Submit requests: <c>POST /fhir/Claim/$submit</c>, <c>POST /v1/authorizations</c>, supplements, appeals, evaluations.</summary>
    public const string ClaimWrite = "system/Claim.write";

    /// <summary>Read the organization's cases: <c>GET /v1/authorizations…</c> and the policies they are decided on.</summary>
    public const string ClaimRead = "system/Claim.read";

    /// <summary>The current answer to a request: <c>POST /fhir/Claim/$inquire</c>.</summary>
    public const string ClaimResponseRead = "system/ClaimResponse.read";

    /// <summary>Subscribe to results and end a subscription: <c>POST</c> and <c>DELETE /fhir/Subscription</c>.</summary>
    public const string SubscriptionWrite = "system/Subscription.write";

    /// <summary>Read a subscription, its status and its deliveries.</summary>
    public const string SubscriptionRead = "system/Subscription.read";

    public static IReadOnlyList<string> All { get; } = [ClaimWrite, ClaimRead, ClaimResponseRead, SubscriptionWrite, SubscriptionRead];

    /// <summary>What a token gets: the requested scopes the client is registered for, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Granted(IEnumerable<string> requested, IEnumerable<string> registered)
    {
        var asked = requested.ToHashSet(StringComparer.Ordinal);
        var held = registered.ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(scope => asked.Contains(scope) && held.Contains(scope))];
    }

    /// <summary>A space-separated list as its scopes (no empties, no repeats).</summary>
    public static IReadOnlyList<string> Split(string? scopes) =>
        [.. (scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}
