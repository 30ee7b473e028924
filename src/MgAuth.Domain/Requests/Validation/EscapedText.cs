using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MgAuth.Domain.Requests.Validation;

/// <summary>
/// JSON lets a string escape half of a surrogate pair on its own (<c>"\ud800"</c>); that is not Unicode text, and
/// the JSON reader throws when it compares or unescapes one. Such strings and property names are found before any field is read.
/// </summary>
internal static class EscapedText
{
    public const string Message = "is not Unicode text: an escaped surrogate (\\ud800 to \\udfff) must be one half of a pair";

    /// <summary>Every string or property name that does not unescape, by path (a name by the path of its object).</summary>
    public static IReadOnlyDictionary<string, string[]> Errors(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        // Valid requests seldom escape anything: no backslash, nothing to look at.
        if (JsonMarshal.GetRawUtf8Value(root).IndexOf((byte)'\\') >= 0) Walk(root, ProblemDocument.RootPath, errors);
        return errors;
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, string[]> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!Unescapes(JsonMarshal.GetRawUtf8PropertyName(property)))
                    {
                        errors[path] = ["has a property name that " + Message];
                        continue;
                    }
                    Walk(property.Value, path == ProblemDocument.RootPath ? property.Name : path + "." + property.Name, errors);
                }
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                    Walk(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), errors);
                break;
            case JsonValueKind.String:
                if (!Unescapes(JsonMarshal.GetRawUtf8Value(element))) errors[path] = [Message];
                break;
        }
    }

    // The parser has checked that every escape is well formed; what it leaves is whether \u escapes pair up.
    private static bool Unescapes(ReadOnlySpan<byte> raw)
    {
        bool expectLow = false;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\' || raw[i + 1] != (byte)'u')
            {
                if (expectLow) return false;
                if (raw[i] == (byte)'\\') i++; // \\, \" and the like: the next byte is not an escape of its own
                continue;
            }
            Utf8Parser.TryParse(raw.Slice(i + 2, 4), out int unit, out _, 'X');
            i += 5;
            bool high = unit is >= 0xD800 and <= 0xDBFF;
            bool low = unit is >= 0xDC00 and <= 0xDFFF;
            if (expectLow != low) return false;
            expectLow = high;
        }
        return !expectLow;
    }
}
