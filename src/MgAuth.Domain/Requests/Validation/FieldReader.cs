using System.Globalization;
using System.Text.Json;

namespace MgAuth.Domain.Requests.Validation;

/// <summary>
/// Reads the fields of one JSON object of the request. A bad field is recorded in <see cref="ValidationErrors"/>
/// under its contract path (e.g. <c>priorTherapies[1].months</c>) and read as absent, so the walk goes on and
/// every error is reported at once. Explicit <c>null</c> counts as absent. Paths are only built for errors.
/// </summary>
internal readonly struct FieldReader
{
    private readonly ReadContext _context;
    private readonly FieldSet _fields;
    private readonly int _firstSlot;  // where this object's fields sit in the context, in FieldSet order
    private readonly string _path;    // of this object: "" for the root, "member", or the array's path for an item
    private readonly int _index;      // position in the array for an item, otherwise -1

    private FieldReader(ReadContext context, JsonElement obj, FieldSet fields, string path, int index)
    {
        _context = context;
        _fields = fields;
        _firstSlot = context.Reserve(fields.Count);
        _path = path;
        _index = index;
        CollectFields(obj);
    }

    public static FieldReader ForRoot(JsonElement root, ReadContext context, FieldSet fields) =>
        new(context, root, fields, "", -1);

    public void Error(string name, string message) => _context.Errors.Add(PathOf(name), message);

    /// <summary>Whether the field is given with a value other than null (valid or not).</summary>
    public bool Has(string name) => TryGet(name, out _);

    public string? String(string name, bool required = false)
    {
        if (!Present(name, required, out JsonElement value)) return null;
        if (value.ValueKind != JsonValueKind.String) return Fail<string>(name, "must be a string");
        string text = value.GetString()!;
        return string.IsNullOrWhiteSpace(text) ? Fail<string>(name, "must not be empty") : text;
    }

    public bool Bool(string name)
    {
        if (!Present(name, required: false, out JsonElement value)) return false;
        switch (value.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            default:
                Error(name, "must be true or false");
                return false;
        }
    }

    public decimal? Decimal(string name, Bounds bounds, bool required = false)
    {
        if (!Present(name, required, out JsonElement value)) return null;
        if (value.ValueKind != JsonValueKind.Number) return FailValue<decimal>(name, "must be a number");
        if (!value.TryGetDecimal(out decimal number) || !bounds.Contains(number)) return FailValue<decimal>(name, bounds.Describe());
        return number;
    }

    /// <summary>A whole number; <c>2.0</c> is accepted as 2, <c>2.5</c> is not.</summary>
    public int? Int(string name, Bounds bounds, bool required = false)
    {
        if (!Present(name, required, out JsonElement value)) return null;
        if (value.ValueKind != JsonValueKind.Number) return FailValue<int>(name, "must be a whole number");
        if (!value.TryGetDecimal(out decimal number)) return FailValue<int>(name, bounds.Describe());
        if (number != decimal.Truncate(number)) return FailValue<int>(name, "must be a whole number");
        if (!bounds.Contains(number)) return FailValue<int>(name, bounds.Describe());
        return (int)number;
    }

    public T? Enum<T>(string name, bool required = false) where T : struct, Enum
    {
        if (!Present(name, required, out JsonElement value)) return null;
        if (value.ValueKind != JsonValueKind.String) return FailValue<T>(name, "must be a string, " + EnumNames<T>.Allowed);
        return EnumNames<T>.TryMatch(value, out T result) ? result : FailValue<T>(name, "must be " + EnumNames<T>.Allowed);
    }

    public DateOnly? Date(string name, DateWindow window, bool required = false)
    {
        if (!Present(name, required, out JsonElement value)) return null;
        if (value.ValueKind != JsonValueKind.String) return FailValue<DateOnly>(name, "must be a date string in the form YYYY-MM-DD");
        return IsoDate.TryParse(value, out DateOnly date) switch
        {
            IsoDate.Outcome.Parsed when window.Contains(date) => date,
            IsoDate.Outcome.Parsed => FailValue<DateOnly>(name, window.Describe()),
            IsoDate.Outcome.NotACalendarDate => FailValue<DateOnly>(name, "is not a calendar date"),
            _ => FailValue<DateOnly>(name, "must be a date in the form YYYY-MM-DD"),
        };
    }

    /// <summary>A nested object, whose own fields are checked against <paramref name="fields"/>.</summary>
    public FieldReader? Object(string name, FieldSet fields, bool required = false)
    {
        if (!Present(name, required, out JsonElement value)) return null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(name, "must be an object");
            return null;
        }
        return new FieldReader(_context, value, fields, PathOf(name), -1);
    }

    /// <summary>
    /// The most items a list of the request may hold. Every item becomes a fact of the rule session, and a rule's cost
    /// grows with its facts: no clinical history needs more, and a longer list is bad input, not work.
    /// </summary>
    public const int MaxItems = 50;

    /// <summary>An array of objects (at most <see cref="MaxItems"/>), each read by <paramref name="readItem"/>; absent or null is empty.</summary>
    public T[] Array<T>(string name, FieldSet itemFields, Func<FieldReader, T?> readItem) where T : class
    {
        if (!Present(name, required: false, out JsonElement value)) return [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(name, "must be an array");
            return [];
        }
        if (value.GetArrayLength() > MaxItems)
        {
            Error(name, $"must hold at most {MaxItems} items");
            return [];
        }

        string path = PathOf(name);
        var items = new T[value.GetArrayLength()];
        int count = 0;
        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                T? read = readItem(new FieldReader(_context, item, itemFields, path, index));
                if (read is not null) items[count++] = read;
            }
            else
            {
                _context.Errors.Add(ItemPath(path, index), "must be an object");
            }
            index++;
        }
        return count == items.Length ? items : items[..count];
    }

    // One pass over the object: known fields go to their slot; unknown and repeated ones are errors.
    private void CollectFields(JsonElement obj)
    {
        ulong seen = 0;
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            int i = _fields.IndexOf(property);
            if (i < 0)
            {
                Error(property.Name, "is not a field of the contract");
                continue;
            }
            ulong bit = 1UL << i;
            if ((seen & bit) != 0) Error(property.Name, "is given more than once");
            seen |= bit;
            _context.Slot(_firstSlot + i) = property.Value;
        }
    }

    private bool TryGet(string name, out JsonElement value)
    {
        value = _context.Slot(_firstSlot + _fields.IndexOf(name));
        return value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
    }

    private bool Present(string name, bool required, out JsonElement value)
    {
        if (TryGet(name, out value)) return true;
        if (required) Error(name, "is required");
        return false;
    }

    private T? Fail<T>(string name, string message) where T : class
    {
        Error(name, message);
        return null;
    }

    private T? FailValue<T>(string name, string message) where T : struct
    {
        Error(name, message);
        return null;
    }

    private string PathOf(string name) =>
        _index >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{_path}[{_index}].{name}")
        : _path.Length == 0 ? name
        : _path + "." + name;

    private static string ItemPath(string arrayPath, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index}]");
}
