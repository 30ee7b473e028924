using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MgAuth.Domain.Requests.Validation;

/// <summary>
/// The contract names of an enum (its <see cref="JsonStringEnumMemberNameAttribute"/> values), read once,
/// matched exactly and case-sensitively against a JSON string without allocating.
/// </summary>
internal static class EnumNames<T> where T : struct, Enum
{
    private static readonly (T Value, byte[] Utf8Name)[] Members = Load();

    /// <summary>"one of: a, b, c" — the allowed values, for messages.</summary>
    public static readonly string Allowed = "one of: " + string.Join(", ", Array.ConvertAll(Members, m => Encoding.UTF8.GetString(m.Utf8Name)));

    public static bool TryMatch(JsonElement value, out T result)
    {
        foreach ((T member, byte[] utf8Name) in Members)
        {
            if (value.ValueEquals(utf8Name))
            {
                result = member;
                return true;
            }
        }
        result = default;
        return false;
    }

    private static (T, byte[])[] Load()
    {
        FieldInfo[] fields = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static);
        var members = new (T, byte[])[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            string name = fields[i].GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? fields[i].Name;
            members[i] = ((T)fields[i].GetValue(null)!, Encoding.UTF8.GetBytes(name));
        }
        return members;
    }
}
