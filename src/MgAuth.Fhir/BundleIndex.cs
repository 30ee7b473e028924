using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>Finds the entry a reference inside a Bundle points to, and names each entry's path.</summary>
internal sealed class BundleIndex(Bundle bundle)
{
    public static string PathOf(int entry) => $"Bundle.entry[{entry}].resource";

    /// <summary>
    /// The entry a reference names: by fullUrl (absolute or urn:uuid), else a relative <c>Type/id</c> by the
    /// resource's type and id; null when the Bundle holds no such entry (or for a contained reference).
    /// </summary>
    public (Resource Resource, string Path)? Resolve(ResourceReference? reference)
    {
        if (reference?.Reference is not { Length: > 0 } target || target.StartsWith('#')) return null;
        for (var i = 0; i < bundle.Entry.Count; i++)
            if (bundle.Entry[i].FullUrl == target && bundle.Entry[i].Resource is { } exact) return (exact, PathOf(i));

        var parts = target.Split('/');
        var history = Array.IndexOf(parts, "_history");
        if (history >= 0) parts = parts[..history];
        if (parts.Length < 2) return null;
        var (type, id) = (parts[^2], parts[^1]);
        for (var i = 0; i < bundle.Entry.Count; i++)
            if (bundle.Entry[i].Resource is { } resource && resource.TypeName == type && resource.Id == id) return (resource, PathOf(i));
        return null;
    }

    public T? Resolve<T>(ResourceReference? reference, out string? path) where T : Resource
    {
        if (Resolve(reference) is ({ } resource, var at) && resource is T typed)
        {
            path = at;
            return typed;
        }
        path = null;
        return null;
    }
}
