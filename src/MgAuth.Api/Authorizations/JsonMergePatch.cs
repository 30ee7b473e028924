using System.Text.Json;
using System.Text.Json.Nodes;

namespace MgAuth.Api.Authorizations;

/// <summary>RFC 7396 JSON merge patch: a supplement is a partial request laid over the stored one.</summary>
public static class JsonMergePatch
{
    public static byte[] Apply(string target, byte[] patch)
    {
        var document = JsonNode.Parse(target) ?? new JsonObject();
        var changes = JsonNode.Parse(patch);
        if (changes is not JsonObject)
            throw new JsonException("a supplement must be a JSON object");
        return JsonSerializer.SerializeToUtf8Bytes(Merge(document, changes));
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null) result.Remove(name);
            else result[name] = Merge(result[name]?.DeepClone(), value);
        }
        return result;
    }
}
