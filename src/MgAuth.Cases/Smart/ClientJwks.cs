using System.Text.Json;

namespace MgAuth.Cases.Smart;

/// <summary>
/// A client's JSON Web Key Set as registration accepts it: public keys only, each with a <c>kid</c>, each able to verify
/// RS384 (<c>kty</c> RSA, 2048 bits or more) or ES384 (<c>kty</c> EC on P-384). A private member (<c>d</c>, <c>p</c>,
/// <c>q</c>, …) refuses the whole file: a private key sent to the payer is a key already leaked.
/// </summary>
public static class ClientJwks
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    /// <summary>The set, re-serialised compactly, or the reasons it is refused (each naming its key).</summary>
    public static (string? Jwks, IReadOnlyList<string> Problems) Check(string json)
    {
        List<string> problems = [];
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { return (null, [$"the JWKS is not JSON: {e.Message}"]); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
                return (null, ["a JWKS is an object with a \"keys\" array"]);
            if (keys.GetArrayLength() == 0) return (null, ["the JWKS has no keys"]);
            HashSet<string> kids = new(StringComparer.Ordinal);
            var index = 0;
            foreach (var key in keys.EnumerateArray())
            {
                var at = $"keys[{index++}]";
                if (key.ValueKind != JsonValueKind.Object) { problems.Add($"{at} is not an object"); continue; }
                if (PrivateMembers.FirstOrDefault(m => key.TryGetProperty(m, out _)) is { } secret)
                {
                    problems.Add($"{at} has the private member \"{secret}\": register public keys only");
                    continue;
                }
                if (Text(key, "kid") is not { Length: > 0 } kid) problems.Add($"{at} has no \"kid\"");
                else if (!kids.Add(kid)) problems.Add($"{at}: the kid \"{kid}\" is used twice");
                if (Text(key, "alg") is { } alg && alg is not ("RS384" or "ES384")) problems.Add($"{at}: alg {alg} is not RS384 or ES384");
                switch (Text(key, "kty"))
                {
                    case "RSA":
                        if (Text(key, "e") is null || Text(key, "n") is not { } n) problems.Add($"{at}: an RSA key needs \"n\" and \"e\"");
                        else if (Base64UrlLength(n) * 8 < 2048) problems.Add($"{at}: an RSA key of fewer than 2048 bits");
                        else if (Text(key, "alg") is "ES384") problems.Add($"{at}: an RSA key cannot sign ES384");
                        break;
                    case "EC":
                        if (Text(key, "crv") != "P-384") problems.Add($"{at}: an EC key must be on P-384 (ES384)");
                        else if (Text(key, "x") is null || Text(key, "y") is null) problems.Add($"{at}: an EC key needs \"x\" and \"y\"");
                        else if (Text(key, "alg") is "RS384") problems.Add($"{at}: an EC key cannot sign RS384");
                        break;
                    case var kty:
                        problems.Add($"{at}: kty {kty ?? "(none)"} is not RSA or EC");
                        break;
                }
                if (Text(key, "use") is { } use && use != "sig") problems.Add($"{at}: use {use} is not sig");
            }
            return problems.Count > 0 ? (null, problems) : (JsonSerializer.Serialize(document.RootElement), problems);
        }
    }

    private static string? Text(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Base64UrlLength(string text) => text.TrimEnd('=').Length * 6 / 8;
}
