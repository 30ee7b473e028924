using System.Text.Json;
using System.Text.Json.Nodes;

namespace MgAuth.Cases.Authorizations;

/// <summary>RFC 7396 JSON merge patch: a supplement is a partial request laid over the stored one.</summary>
public static class JsonMergePatch
{
    // A name given twice is refused, as the request reader refuses it, rather than thrown on mid-merge.
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <exception cref="JsonException">The patch is not a JSON object, repeats a name, or holds text that is not Unicode.</exception>
    public static byte[] Apply(string target, byte[] patch)
    {
        var document = JsonNode.Parse(target) ?? new JsonObject();
        try
        {
            var changes = JsonNode.Parse(patch, documentOptions: Strict);
            if (changes is not JsonObject)
                throw new JsonException("a supplement must be a JSON object");
            return JsonSerializer.SerializeToUtf8Bytes(Merge(document, changes));
        }
        catch (InvalidOperationException e)
        {
            // A name with a lone escaped surrogate (\ud800) throws when it is unescaped: comparing names, or merging.
            throw new JsonException("a name or string is not Unicode text: an escaped surrogate must be one half of a pair", e);
        }
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
