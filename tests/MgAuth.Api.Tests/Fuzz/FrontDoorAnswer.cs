using System.Text;
using System.Text.Json;

namespace MgAuth.Api.Tests.Fuzz;

/// <summary>
/// What the front door may answer to any body: the decision (201 stored, 200 evaluated), or a 400 problem
/// document naming the fields, or 413 for a body over the limit. Anything else fails with the request shown.
/// </summary>
public static class FrontDoorAnswer
{
    private static readonly string[] Decisions = ["approve", "deny", "review"];

    /// <summary>Checks the answer; returns its status for the run's tally.</summary>
    public static async Task<int> AssertAcceptableAsync(HttpResponseMessage response, int decided, byte[] body, int maxBytes, string input)
    {
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var media = response.Content.Headers.ContentType?.MediaType;
        string Failure(string what) =>
            $"{what}\n{response.RequestMessage?.RequestUri?.AbsolutePath} answered {status} {media}: {Shorten(text, 2000)}\n"
            + $"input: {input}\nbody ({body.Length} bytes): {Shorten(Escape(body), 3000)}";

        JsonObject? json;
        try { json = JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { json = null; }
        Assert.True(json is not null, Failure("the answer is not a JSON object"));

        if (status == decided)
        {
            Assert.True(media == "application/json", Failure("a decision must be application/json"));
            Assert.True(json["decision"] is JsonValue d && Decisions.Contains((string?)d), Failure("no decision in the answer"));
            Assert.True(json["reasons"] is JsonArray, Failure("no reasons in the answer"));
            if (decided == 201)
                Assert.True(json["authorizationId"] is JsonValue id && ((string?)id)!.StartsWith("PA-", StringComparison.Ordinal)
                    && response.Headers.Location is not null, Failure("a stored decision names its id and location"));
            return status;
        }

        Assert.True(status == 400 || (status == 413 && body.Length > maxBytes), Failure("neither a decision nor a 400 problem"));
        Assert.True(media == "application/problem+json", Failure("a refusal must be application/problem+json"));
        Assert.True((int?)json["status"] == status, Failure("the problem's status differs from the answer's"));
        foreach (var field in new[] { "type", "title", "detail" })
            Assert.True(json[field] is JsonValue v && !string.IsNullOrWhiteSpace((string?)v), Failure($"the problem has no {field}"));
        if (status == 400)
            Assert.True(json["errors"] is JsonObject { Count: > 0 } errors
                && errors.All(e => e.Value is JsonArray { Count: > 0 } messages && messages.All(m => m is JsonValue)),
                Failure("a 400 problem names each bad field with its messages"));
        return status;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + $"… ({text.Length} chars)";

    // The body as printable text: invalid UTF-8 and control bytes as \xNN.
    private static string Escape(byte[] body)
    {
        var text = new StringBuilder();
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true);
        try
        {
            foreach (var c in decoder.GetString(body))
                text.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
            return text.ToString();
        }
        catch (DecoderFallbackException)
        {
            return string.Concat(body.Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}"));
        }
    }
}
