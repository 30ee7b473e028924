using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>A PAS Subscription as an EHR asks for it: where to POST notifications, with which headers, for whom.</summary>
public sealed record PasSubscriptionRequest
{
    public required Uri Endpoint { get; init; }

    /// <summary>"Name: value" lines sent with every notification (an EHR's bearer token, say); never read back.</summary>
    public required IReadOnlyList<string> Headers { get; init; }

    /// <summary>The backport filter <c>orgIdentifier=X</c> (or <c>org-identifier=X</c>): X as given; null when the request names none.</summary>
    public string? OrgIdentifier { get; init; }

    public string? Reason { get; init; }

    public DateTimeOffset? End { get; init; }
}

/// <summary>
/// Reads a PAS Subscription (R5 backport on R4: topic in <c>criteria</c>, the <c>orgIdentifier</c> filter in its
/// backport-filter-criteria extension, rest-hook, full-resource): parsed strictly by Firely's SDK, then held to the
/// PAS profile's patterns and to what MgAuth delivers. Each problem names its path.
/// </summary>
public static class PasSubscriptionReader
{
    public const int MaxHeaders = 5;

    // Headers the delivery sets itself; an EHR supplying them could corrupt or redirect the request.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Type", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Upgrade", "TE", "Trailer",
    };

    public static (PasSubscriptionRequest? Request, FhirProblem[] Problems) Read(string json)
    {
        var (resource, problems, unreadable) = PasRequestReader.ParseResource(json, "Subscription");
        if (unreadable) return (null, problems);
        if (resource is not Subscription subscription)
            return (null, [new FhirProblem("resourceType", $"must be Subscription, not {resource?.TypeName ?? "absent"}"), .. problems]);
        if (problems.Length > 0) return (null, problems);

        var found = new List<FhirProblem>();
        if (subscription.Status is not (Subscription.SubscriptionStatus.Requested or Subscription.SubscriptionStatus.Active))
            found.Add(new FhirProblem("Subscription.status", "must be requested (or active): a new subscription starts requested"));
        if (subscription.Criteria != PasSubscriptions.Topic)
            found.Add(new FhirProblem("Subscription.criteria", $"must be the PAS topic, {PasSubscriptions.Topic}"));
        var orgIdentifier = OrgIdentifier(subscription, found);

        var channel = subscription.Channel;
        if (channel?.Type != Subscription.SubscriptionChannelType.RestHook)
            found.Add(new FhirProblem("Subscription.channel.type", "must be rest-hook: MgAuth POSTs each notification to the endpoint"));
        var endpoint = Endpoint(channel?.Endpoint, found);
        if (channel?.Payload is { } payload && payload != PasSubscriptions.Payload)
            found.Add(new FhirProblem("Subscription.channel.payload", $"must be {PasSubscriptions.Payload}"));
        var content = channel?.PayloadElement?.GetExtensionValue<Code>(PasSubscriptions.PayloadContentExtension)?.Value;
        if (content is not (null or PasSubscriptions.FullResource))
            found.Add(new FhirProblem("Subscription.channel.payload.extension",
                $"must be {PasSubscriptions.FullResource}: MgAuth sends the ClaimResponse in the notification, as the PAS profile requires"));
        var headers = Headers(channel?.Header?.ToList() ?? [], found);
        var end = subscription.End;

        return found.Count > 0 || endpoint is null
            ? (null, [.. found])
            : (new PasSubscriptionRequest { Endpoint = endpoint, Headers = headers, OrgIdentifier = orgIdentifier, Reason = subscription.Reason, End = end }, []);
    }

    private static string? OrgIdentifier(Subscription subscription, List<FhirProblem> found)
    {
        var filters = subscription.CriteriaElement?.Extension.Where(e => e.Url == PasSubscriptions.FilterCriteriaExtension).ToArray() ?? [];
        if (filters.Length == 0) return null;
        const string path = "Subscription.criteria.extension";
        const string name = PasSubscriptions.OrgIdentifierFilter + "=";
        if (filters.Length > 1 || filters[0].Value is not FhirString { Value: { } filter })
        {
            found.Add(new FhirProblem(path, $"holds one filter, {name}X (the requesting organization)"));
            return null;
        }
        // The topic's own parameter (orgIdentifier) or its search-parameter spelling (org-identifier), as the kits send it.
        var given = PasSubscriptions.OrgIdentifierFilters.FirstOrDefault(f => filter.StartsWith(f + "=", StringComparison.Ordinal));
        if (given is null || filter.Length == given.Length + 1 || filter.Contains('&'))
        {
            found.Add(new FhirProblem(path, $"must be {name}X (or org-identifier=X), X the requesting organization's NPI or TIN: "
                + "the PAS topic filters by the requesting organization only"));
            return null;
        }
        return Uri.UnescapeDataString(filter[(given.Length + 1)..]);
    }

    private static Uri? Endpoint(string? text, List<FhirProblem> found)
    {
        const string path = "Subscription.channel.endpoint";
        if (string.IsNullOrWhiteSpace(text))
        {
            found.Add(new FhirProblem(path, "is required: the URL MgAuth POSTs notifications to"));
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            found.Add(new FhirProblem(path, "must be an absolute https URL"));
            return null;
        }
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            found.Add(new FhirProblem(path, "must not carry a user name, password or fragment; send credentials in channel.header"));
            return null;
        }
        return uri;
    }

    private static string[] Headers(List<string?> headers, List<FhirProblem> found)
    {
        if (headers.Count > MaxHeaders) found.Add(new FhirProblem("Subscription.channel.header", $"holds at most {MaxHeaders} headers"));
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i] ?? "";
            var colon = header.IndexOf(':');
            var name = colon > 0 ? header[..colon].Trim() : "";
            var value = colon > 0 ? header[(colon + 1)..].Trim() : "";
            if (name.Length == 0 || value.Length == 0 || !name.All(IsTokenCharacter) || value.Any(char.IsControl))
                found.Add(new FhirProblem($"Subscription.channel.header[{i}]", "must be \"Name: value\" (an HTTP header)"));
            else if (ReservedHeaders.Contains(name))
                found.Add(new FhirProblem($"Subscription.channel.header[{i}]", $"may not set {name}: MgAuth sets it"));
        }
        return headers.Select(h => (h ?? "").Trim()).ToArray();
    }

    private static bool IsTokenCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
