using System.Text;

namespace MgAuth.Api.Tests.Support;

/// <summary>JSON in and out of the service, and the assertions every problem answer shares.</summary>
public static class Http
{
    public static StringContent Json(JsonNode body) => Json(body.ToJsonString());

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, JsonNode body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, JsonNode body, string? idempotencyKey = null) =>
        client.PostJsonAsync("/v1/authorizations", body, idempotencyKey);

    /// <summary>Submits and insists on 201 Created; returns the decision.</summary>
    public static async Task<JsonObject> SubmitCreatedAsync(this HttpClient client, JsonNode body, string? idempotencyKey = null)
    {
        using var response = await client.SubmitAsync(body, idempotencyKey);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {json}");
        return json.AsObject();
    }

    public static async Task<JsonObject> SupplementOkAsync(this HttpClient client, string id, JsonNode patch)
    {
        using var response = await client.PostJsonAsync($"/v1/authorizations/{id}/supplements", patch);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {json}");
        return json.AsObject();
    }

    public static async Task<JsonObject> GetOkAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: expected 200, got {(int)response.StatusCode}: {json}");
        return json.AsObject();
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty JSON body");
    }

    /// <summary>Asserts an RFC 9457 problem document with the given status; returns it.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["type"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        return problem;
    }

    public static IReadOnlyList<string> Codes(this JsonNode decision) =>
        decision["reasons"]!.AsArray().Select(r => (string)r!["code"]!).ToArray();
}
