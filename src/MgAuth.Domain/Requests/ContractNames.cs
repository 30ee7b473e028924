using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace MgAuth.Domain.Requests;

/// <summary>The contract's name for an enum value (<c>PreThymectomy</c> → <c>pre_thymectomy</c>).</summary>
public static class ContractNames
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string Of(Enum value) => Names.GetOrAdd(value, static v =>
        v.GetType().GetField(v.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? v.ToString());

    public static bool TryParse<T>(string name, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
            if (Of(candidate) == name) { value = candidate; return true; }
        value = default;
        return false;
    }

    public static IEnumerable<string> All<T>() where T : struct, Enum => Enum.GetValues<T>().Select(v => Of(v));
}
