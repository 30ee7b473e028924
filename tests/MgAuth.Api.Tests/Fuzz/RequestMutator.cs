using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests.Fuzz;

/// <summary>
/// Turns a <see cref="FuzzInput"/> into the bytes of a request body: the example (for the given member) as a JSON
/// tree, each step applied to the node it picks, then the tree written out with the raw fragments spliced in and
/// any truncation applied. The same input and member id always give the same bytes.
/// </summary>
public sealed class RequestMutator
{
    private static readonly JsonSerializerOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 1_000 };

    private readonly List<byte[]> _fragments = [];
    private readonly List<int> _truncations = [];
    private JsonNode? _document;

    private RequestMutator(JsonNode document) => _document = document;

    public static byte[] Render(FuzzInput input, string memberId) => Render(Examples.ForMember(input.Example, memberId), input.Steps);

    /// <summary>Any document (a supplement, say) with the steps applied.</summary>
    public static byte[] Render(JsonNode document, IEnumerable<MutationStep> steps)
    {
        var mutator = new RequestMutator(document);
        foreach (var step in steps) mutator.Apply(step);
        return mutator.Bytes();
    }

    private sealed record Location(JsonNode? Node, JsonNode? Parent, string? Key, int Index);

    private void Apply(MutationStep step)
    {
        var locations = new List<Location>();
        Collect(_document, null, null, -1, locations);
        // An edge value is meant for a field's value, not for an object or a list.
        if (step.Kind == MutationKind.EdgeValue && locations.Any(l => l.Node is JsonValue))
            locations.RemoveAll(l => l.Node is not JsonValue);
        var at = locations[step.Target % locations.Count];
        var v = step.Variant;
        switch (step.Kind)
        {
            case MutationKind.WrongType: Replace(at, Pick(HostileValues.WrongTypes(at.Node), v)); break;
            case MutationKind.Null: Replace(at, null); break;
            case MutationKind.HugeNumber: Replace(at, Raw(HostileValues.Ascii(Pick(HostileValues.HugeNumbers, v)))); break;
            case MutationKind.NegativeNumber: Replace(at, Raw(HostileValues.Ascii(Pick(HostileValues.NegativeNumbers, v)))); break;
            case MutationKind.EdgeValue: Replace(at, Pick(EdgeValuesFor(at.Node, v), v / 4).DeepClone()); break;
            case MutationKind.DeepNesting: Replace(at, Nest(at.Node?.DeepClone() ?? 1, depth: 2 + v % 150, arrays: v % 2 == 0)); break;
            case MutationKind.LongString: Replace(at, LongString(v)); break;
            case MutationKind.Unicode: Unicode(at, v); break;
            case MutationKind.DuplicateKey: DuplicateKey(NearestObject(at), v); break;
            case MutationKind.RemoveField: Remove(at); break;
            case MutationKind.ExtraField: Extra(at, v); break;
            case MutationKind.Truncate: _truncations.Add(v); break;
            case MutationKind.ReplaceBody:
                var body = Pick(HostileValues.Bodies, v).Replace("{body}", Text(), StringComparison.Ordinal);
                _document = Raw(Encoding.UTF8.GetBytes(body));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "unknown mutation");
        }
    }

    private static void Collect(JsonNode? node, JsonNode? parent, string? key, int index, List<Location> into)
    {
        into.Add(new Location(node, parent, key, index));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToArray()) Collect(child, obj, name, -1, into);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Collect(array[i], array, null, i, into);
                break;
        }
    }

    private void Replace(Location at, JsonNode? value)
    {
        switch (at.Parent)
        {
            case JsonObject obj: obj[at.Key!] = value; break;
            case JsonArray array: array[at.Index] = value; break;
            default: _document = value; break;
        }
    }

    private void Remove(Location at)
    {
        switch (at.Parent)
        {
            case JsonObject obj: obj.Remove(at.Key!); break;
            case JsonArray array: array.RemoveAt(at.Index); break;
            default: _document = new JsonObject(); break;
        }
    }

    private void Unicode(Location at, int v)
    {
        var texts = HostileValues.UnicodeStrings;
        var raws = HostileValues.RawStrings;
        var i = v % (2 * texts.Length + 2 * raws.Length);
        if (i < texts.Length) Replace(at, texts[i]);
        else if ((i -= texts.Length) < texts.Length)
            Replace(at, at.Node is JsonValue value && value.TryGetValue<string>(out var text) ? text + texts[i] : texts[i]);
        else if ((i -= texts.Length) < raws.Length) Replace(at, Raw(raws[i]));
        else if (at.Parent is JsonObject obj)
        {
            // The property renamed to a raw string: an escaped or invalid name.
            obj.Remove(at.Key!);
            obj[Placeholder(raws[i - raws.Length])] = at.Node;
        }
        else Replace(at, Raw(raws[i - raws.Length]));
    }

    private void DuplicateKey(JsonObject? obj, int v)
    {
        if (obj is null || obj.Count == 0) return;
        var (name, value) = obj.ElementAt(v % obj.Count);
        var rest = v / obj.Count;
        // The repeated name as written, with its first character escaped, or every character escaped.
        var written = (rest % 3) switch
        {
            0 => JsonSerializer.Serialize(name, Writing),
            1 => $"\"\\u{(int)name[0]:x4}{name[1..]}\"",
            _ => "\"" + string.Concat(name.Select(c => $"\\u{(int)c:X4}")) + "\"",
        };
        obj[Placeholder(Encoding.UTF8.GetBytes(written))] = ((rest / 3) % 3) switch
        {
            0 => value?.DeepClone(),
            1 => null,
            _ => "other",
        };
    }

    private void Extra(Location at, int v)
    {
        if (at.Node is JsonArray array)
        {
            array.Add(Pick<JsonNode?>([new JsonObject(), 1, null, "x", array.FirstOrDefault()?.DeepClone()], v));
            return;
        }
        if (NearestObject(at) is not { } obj) return;
        var name = Pick(HostileValues.ExtraNames, v);
        JsonNode? value = Pick<JsonNode?>([1, "x", null, new JsonObject(), true], v / HostileValues.ExtraNames.Length);
        obj[Placeholder(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(name, Writing)))] = value;
    }

    // Mostly values of the node's own kind (a date for a date), so the request often stays valid; else any edge value.
    private static JsonNode[] EdgeValuesFor(JsonNode? node, int v) =>
        v % 4 == 0 ? [.. HostileValues.EdgeNumbers, .. HostileValues.EdgeDates, .. HostileValues.EdgeStrings]
        : node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text.Length == 10 && text[4] == '-' && text[7] == '-' ? HostileValues.EdgeDates : HostileValues.EdgeStrings
        : HostileValues.EdgeNumbers;

    private JsonObject? NearestObject(Location at) => at.Node as JsonObject ?? at.Parent as JsonObject ?? _document as JsonObject;

    private static JsonNode Nest(JsonNode inner, int depth, bool arrays)
    {
        for (var i = 0; i < depth; i++) inner = arrays ? new JsonArray(inner) : new JsonObject { ["a"] = inner };
        return inner;
    }

    private static JsonNode LongString(int v)
    {
        var lengths = HostileValues.LongStringLengths;
        var unit = Pick(HostileValues.LongStringUnits, v / lengths.Length);
        var length = Pick(lengths, v) / unit.Length;
        return JsonValue.Create(new StringBuilder(unit.Length * length).Insert(0, unit, length).ToString());
    }

    private JsonValue Raw(byte[] fragment) => JsonValue.Create(Placeholder(fragment));

    // A name or string the writer leaves as it is, replaced by the fragment (quotes included) once written.
    private string Placeholder(byte[] fragment)
    {
        _fragments.Add(fragment);
        return $"ZZRAW{_fragments.Count - 1}ZZ";
    }

    private string Text() => _document?.ToJsonString(Writing) ?? "null";

    private byte[] Bytes()
    {
        var bytes = Encoding.UTF8.GetBytes(Text());
        // Last first: a later fragment (a replaced body) may hold an earlier placeholder.
        for (var i = _fragments.Count - 1; i >= 0; i--)
            bytes = ReplaceAll(bytes, Encoding.ASCII.GetBytes($"\"ZZRAW{i}ZZ\""), _fragments[i]);
        foreach (var cut in _truncations)
            if (bytes.Length > 0) bytes = bytes[..(cut % bytes.Length)];
        return bytes;
    }

    private static byte[] ReplaceAll(byte[] source, byte[] pattern, byte[] replacement)
    {
        var output = new List<byte>(source.Length);
        var span = source.AsSpan();
        int found;
        while ((found = span.IndexOf(pattern)) >= 0)
        {
            output.AddRange(span[..found]);
            output.AddRange(replacement);
            span = span[(found + pattern.Length)..];
        }
        output.AddRange(span);
        return [.. output];
    }

    private static T Pick<T>(IReadOnlyList<T> values, int v) => values[v % values.Count];
}
