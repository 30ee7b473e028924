using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Api.Subscriptions;
using MgAuth.Fhir;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Crd;

/// <summary>What reading the missing prefetch from the EHR's FHIR server came to.</summary>
/// <param name="Fetched">The prefetch keys now filled in the hook request.</param>
/// <param name="Refusal">Why the FHIR server was not (or could not be) asked, for the 412's detail; null when it was.</param>
internal sealed record PrefetchFetch(IReadOnlyList<string> Fetched, string? Refusal);

/// <summary>
/// CDS Hooks 2.0's alternative to prefetch: the service reads what it needs from the EHR's <c>fhirServer</c> with the
/// <c>fhirAuthorization</c> bearer token. Each absent prefetch key's template (<see cref="OrderSignReader.Prefetch"/>) is
/// filled from the context and read with a GET — through the SSRF guard (<see cref="EndpointGuard"/>: https on a public
/// address unless <c>CdsHooks:AllowPrivateFhirServer</c>, no redirects), within <see cref="CdsHooksOptions.FhirServerSeconds"/>
/// and <see cref="CdsHooksOptions.MaxFhirServerResponseBytes"/> for all of them together. A read that fails leaves
/// its key absent. The token and the addresses read (they name the patient) are never logged, and the client logs nothing.
/// </summary>
internal sealed class FhirServerPrefetch(IHttpClientFactory http, IOptions<CdsHooksOptions> options, ILogger<FhirServerPrefetch> log)
{
    public const string HttpClientName = "cds-hooks-fhir-server";

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>Fills the absent prefetch keys of <paramref name="hook"/> (a CDS Hooks request) from its fhirServer.</summary>
    public async Task<PrefetchFetch> FillAsync(JsonObject hook, CancellationToken cancellationToken)
    {
        var prefetch = hook["prefetch"] as JsonObject;
        var absent = OrderSignReader.Prefetch.Keys.Where(k => prefetch?[k] is null).ToArray();
        if (absent.Length == 0) return new PrefetchFetch([], null);
        if (hook["fhirServer"] is not JsonValue server || !server.TryGetValue<string>(out var serverText) || serverText.Length == 0)
            return new PrefetchFetch([], "the request names no fhirServer to read it from");
        if (!Uri.TryCreate(serverText.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp) || baseUrl.UserInfo.Length > 0)
            return new PrefetchFetch([], "fhirServer is not an absolute https URL");
        if (EndpointGuard.Refusal(baseUrl, options.Value.AllowPrivateFhirServer) is { } refused)
            return new PrefetchFetch([], "fhirServer is refused: it " + refused);
        if (hook["fhirAuthorization"] is not JsonObject authorization
            || authorization["access_token"] is not JsonValue tokenValue || !tokenValue.TryGetValue<string>(out var token) || token.Length == 0
            || token.Any(c => c is < '!' or > '~')
            || (authorization["token_type"] is { } type
                && !(type is JsonValue typeValue && typeValue.TryGetValue<string>(out var typeText) && string.Equals(typeText, "Bearer", StringComparison.OrdinalIgnoreCase))))
            return new PrefetchFetch([], "the request has no fhirAuthorization bearer token to read fhirServer with");

        var context = hook["context"] as JsonObject;
        prefetch ??= [];
        hook["prefetch"] = prefetch;
        var fetched = new List<string>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.Value.FhirServerSeconds));
        var client = http.CreateClient(HttpClientName);
        var budget = (long)options.Value.MaxFhirServerResponseBytes;
        foreach (var key in absent)
        {
            if (Fill(OrderSignReader.Prefetch[key], context) is not { } query || !Uri.TryCreate(baseUrl, query, out var url)
                || !url.AbsoluteUri.StartsWith(baseUrl.AbsoluteUri, StringComparison.Ordinal))
                continue;
            if (await ReadAsync(client, url, token, key, budget, deadline.Token) is { } read)
            {
                prefetch[key] = read.Resource;
                fetched.Add(key);
                budget -= read.Bytes;
            }
            else if (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                break;
            }
        }
        return new PrefetchFetch(fetched, fetched.Count == 0 ? "fhirServer did not answer the reads" : null);
    }

    private async Task<(JsonObject Resource, long Bytes)?> ReadAsync(HttpClient client, Uri url, string token, string key, long limit,
        CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                log.LogInformation("CDS Hooks prefetch {Key}: the fhirServer answered {Status}", key, (int)response.StatusCode);
                return null;
            }
            if (response.Content.Headers.ContentLength > limit)
            {
                log.LogWarning("CDS Hooks prefetch {Key}: the fhirServer's answer is larger than {Limit} bytes", key, limit);
                return null;
            }
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    log.LogWarning("CDS Hooks prefetch {Key}: the fhirServer's answer is larger than {Limit} bytes", key, limit);
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            // A property twice is not JSON a FHIR resource can be (and a JsonObject refuses it).
            return JsonNode.Parse(buffer.ToArray(), documentOptions: Strict) is JsonObject resource && resource["resourceType"] is JsonValue ? (resource, buffer.Length) : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or IOException or ArgumentException)
        {
            if (cancellationToken.IsCancellationRequested && e is OperationCanceledException)
                log.LogWarning("CDS Hooks prefetch {Key}: the fhirServer did not answer in time", key);
            else
                log.LogWarning("CDS Hooks prefetch {Key}: the fhirServer could not be read ({Error})", key, e.GetType().Name);
            return null;
        }
    }

    // {{context.patientId}} and {{context.userId}}, each escaped as a URL's data; any other token leaves the template unusable.
    private static string? Fill(string template, JsonObject? context)
    {
        var filled = template;
        foreach (var name in new[] { "patientId", "userId" })
        {
            var token = "{{context." + name + "}}";
            if (!filled.Contains(token, StringComparison.Ordinal)) continue;
            if (context?[name] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length == 0) return null;
            // userId is a reference (Practitioner/123): its type and id each escaped; patientId an id, escaped whole.
            var escaped = name == "userId" ? string.Join('/', text.Split('/').Select(Uri.EscapeDataString)) : Uri.EscapeDataString(text);
            filled = filled.Replace(token, escaped, StringComparison.Ordinal);
        }
        return filled.Contains("{{", StringComparison.Ordinal) ? null : filled;
    }

    /// <summary>The HTTP client the FHIR server is read with: through the SSRF guard, never redirected, logging nothing.</summary>
    public static void AddHttpClient(IServiceCollection services, bool allowPrivate) =>
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => EndpointGuard.Handler(allowPrivate))
            .RemoveAllLoggers();
}
