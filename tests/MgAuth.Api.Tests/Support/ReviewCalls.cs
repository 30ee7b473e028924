using MgAuth.Cases.Security;
using MgAuth.Cases.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests.Support;

/// <summary>Calls of the review workflow: the queue, claims, determinations (with If-Match), appeals, history and notices.</summary>
public static class ReviewCalls
{
    public static JsonObject Determination(string action, string? reasonCode, string rationale = "Reviewed against the policy.") =>
        reasonCode is null
            ? new JsonObject { ["action"] = action, ["rationale"] = rationale }
            : new JsonObject { ["action"] = action, ["reasonCode"] = reasonCode, ["rationale"] = rationale };

    public static JsonObject Deny(string reasonCode = "DOSE_ABOVE_COURSE_CEILING", string rationale = "4 g/kg is twice the 2 g/kg ceiling.") =>
        Determination("deny", reasonCode, rationale);

    public static JsonObject Approve(string rationale = "Criteria met on review.") => Determination("approve", null, rationale);

    public static JsonObject RequestInformation(params string[] missing)
    {
        var body = Determination("request_information", "DOCUMENTATION_MISSING", "Please send what is listed.");
        body["missingDocumentation"] = new JsonArray(missing.Select(m => (JsonNode)JsonValue.Create(m)).ToArray());
        return body;
    }

    /// <summary>The case's ETag as GET /v1/authorizations/{id} answers it.</summary>
    public static async Task<string> ETagAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/v1/authorizations/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("no ETag");
    }

    public static async Task<HttpResponseMessage> DetermineAsync(this HttpClient client, string id, JsonNode body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/authorizations/{id}/determination") { Content = Http.Json(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    /// <summary>Reads the case's ETag, determines, insists on 200; returns the case as it stands.</summary>
    public static async Task<JsonObject> DetermineOkAsync(this HttpClient client, string id, JsonNode body)
    {
        using var response = await client.DetermineAsync(id, body, await client.ETagAsync(id));
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {json}");
        return json.AsObject();
    }

    public static Task<HttpResponseMessage> ClaimAsync(this HttpClient client, string id) =>
        client.PostAsync($"/v1/authorizations/{id}/claim", null);

    public static async Task<JsonObject> QueueAsync(this HttpClient client, string query = "") =>
        await client.GetOkAsync($"/v1/review-queue?pageSize=200{(query.Length > 0 ? "&" + query : "")}");

    /// <summary>The queue's entry for a case, or null when the case is not in the queue.</summary>
    public static async Task<JsonObject?> QueueItemAsync(this HttpClient client, string id, string query = "") =>
        (await client.QueueAsync(query))["items"]!.AsArray().FirstOrDefault(i => (string)i!["authorizationId"]! == id)?.AsObject();

    public static async Task<JsonArray> EventsAsync(this HttpClient client, string id) =>
        (await client.GetOkAsync($"/v1/authorizations/{id}/history"))["events"]!.AsArray();

    public static async Task<JsonObject> AppealOkAsync(this HttpClient client, string id, string reason = "The member's neurologist asks for reconsideration.")
    {
        using var response = await client.PostJsonAsync($"/v1/authorizations/{id}/appeals", new JsonObject { ["reason"] = reason });
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {json}");
        return json.AsObject();
    }

    public static string Id(this JsonNode decision) => (string)decision["authorizationId"]!;

    /// <summary>
    /// Another key of the plan's, made in the service's own key store: another person's (a second clinician, say), or a
    /// second key of <paramref name="person"/>.
    /// </summary>
    public static IssuedKey NewPlanKey(this MgAuthFactory factory, string role, string? npi = null, string? person = null) =>
        factory.Services.GetRequiredService<ApiKeys>().Create(TestKeys.Plan, role, $"another {role}", npi, person ?? $"P-{Guid.NewGuid():N}");

    public static HttpClient Clinician(this MgAuthFactory factory) => factory.ClientFor(factory.Keys.Clinician);

    public static HttpClient Admin(this MgAuthFactory factory) => factory.ClientFor(factory.Keys.Admin);

    /// <summary>A pended case the engine recommends denying (§4 D1: 312 g against a 160 g ceiling).</summary>
    public static async Task<JsonObject> PendedDenyAsync(this MgAuthFactory factory, Action<JsonObject>? change = null)
    {
        var request = Examples.ForNewMember(Examples.OverCeiling);
        change?.Invoke(request);
        var decision = await factory.ProviderA.SubmitCreatedAsync(request);
        Assert.Equal("pended", (string)decision["status"]!);
        Assert.Equal("deny", (string)decision["decision"]!);
        return decision;
    }

    /// <summary>A pended case the engine sends to review for missing documentation (the score baselines).</summary>
    public static async Task<JsonObject> PendedReviewAsync(this MgAuthFactory factory)
    {
        var decision = await factory.ProviderA.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines());
        Assert.Equal("pended", (string)decision["status"]!);
        Assert.Equal("review", (string)decision["decision"]!);
        return decision;
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>The service on a clock the test moves, with claims lasting <see cref="ClaimMinutes"/> minutes.</summary>
public sealed class ManualClockFactory : MgAuthFactory
{
    public const int ClaimMinutes = 5;

    public ManualClock Clock { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => [new("Review:ClaimMinutes", ClaimMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
