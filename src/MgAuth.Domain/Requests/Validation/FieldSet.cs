using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MgAuth.Domain.Requests.Validation;

/// <summary>The property names the contract allows in one JSON object, kept as UTF-8 so matching does not allocate.</summary>
internal sealed class FieldSet
{
    private readonly string[] _names;
    private readonly byte[][] _utf8Names;

    public FieldSet(params string[] names)
    {
        // FieldReader tracks repeated names in a 64-bit mask.
        if (names.Length > 64) throw new ArgumentException("A field set holds at most 64 names.", nameof(names));
        _names = names;
        _utf8Names = new byte[names.Length][];
        for (int i = 0; i < names.Length; i++) _utf8Names[i] = Encoding.UTF8.GetBytes(names[i]);
    }

    public int Count => _names.Length;

    /// <summary>The position of the property's name in this set, or -1 when the contract does not know it.</summary>
    public int IndexOf(JsonProperty property)
    {
        // The name as written; only a name with escapes needs the reader's unescaping comparison.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8PropertyName(property);
        bool escaped = raw.IndexOf((byte)'\\') >= 0;
        for (int i = 0; i < _utf8Names.Length; i++)
        {
            if (escaped ? property.NameEquals(_utf8Names[i]) : raw.SequenceEqual(_utf8Names[i])) return i;
        }
        return -1;
    }

    /// <summary>The position of a name the reader asks for; asking for a name outside the set is a bug in the reader.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.Ordinal)) return i;
        }
        throw new InvalidOperationException($"'{name}' is not in the field set {{{string.Join(", ", _names)}}}.");
    }
}
