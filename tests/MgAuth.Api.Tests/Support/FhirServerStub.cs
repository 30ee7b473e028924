using System.Collections.Concurrent;
using System.Text;
using MgAuth.Api.Crd;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// An EHR's FHIR server as the CRD service reads it for missing prefetch: each read answered by <see cref="Answer"/>, and
/// every request (its URL and Authorization) kept.
/// </summary>
public sealed class FhirServerStub : HttpMessageHandler
{
    public const string Base = "https://ehr.example/fhir";
    public const string Token = "ehr-access-token-5f0c2a9e7d41";

    public ConcurrentQueue<(Uri Url, string? Authorization)> Requests { get; } = new();

    /// <summary>How a read is answered; by default 404.</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Answer { get; set; } =
        (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));

    /// <summary>
    /// Takes the prefetch out of <paramref name="hook"/> and serves it from here instead: each resource by the type its
    /// template reads (Patient/…, Coverage?…); the hook names this server and a bearer token.
    /// </summary>
    public JsonObject ServeInstead(JsonObject hook)
    {
        var prefetch = hook["prefetch"]!.AsObject();
        var byType = prefetch.ToDictionary(p => TypeOf(p.Key), p => p.Value!.ToJsonString());
        hook.Remove("prefetch");
        hook["fhirServer"] = Base;
        hook["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = Token, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "user/*.read", ["subject"] = "cds-service",
        };
        Answer = (request, _) =>
        {
            var type = request.RequestUri!.AbsolutePath[(new Uri(Base).AbsolutePath.Length + 1)..].Split('/')[0];
            return Task.FromResult(byType.TryGetValue(type, out var json)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/fhir+json") }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        };
        return hook;
    }

    private static string TypeOf(string key) => key switch
    {
        "user" => "Practitioner",
        "conditions" => "Condition",
        "observations" => "Observation",
        "medicationStatements" => "MedicationStatement",
        "plannedProcedures" => "ServiceRequest",
        "plannedMedications" => "MedicationRequest",
        _ => char.ToUpperInvariant(key[0]) + key[1..],
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue((request.RequestUri!, request.Headers.Authorization?.ToString()));
        return await Answer(request, cancellationToken);
    }

    // Shared by every handler the client factory builds: never disposed by it.
    protected override void Dispose(bool disposing)
    {
    }
}

/// <summary>The service reading missing prefetch from <see cref="FhirServerStub"/> (the SSRF guard on: private addresses refused).</summary>
public sealed class FhirServerFactory : MgAuthFactory
{
    public FhirServerStub FhirServer { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
    [
        new("CdsHooks:FhirServerSeconds", "2"),
        new("CdsHooks:MaxFhirServerResponseBytes", (256 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.AddHttpClient(FhirServerPrefetch.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => FhirServer));
    }
}
