using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>
/// Entries of a Bundle being written, each under a <c>urn:uuid</c> fullUrl derived from the Bundle's id and the
/// entry's name, so the same request written with the same id gives the same Bundle.
/// </summary>
internal sealed class BundleEntries(Guid bundleId)
{
    private readonly List<Bundle.EntryComponent> _entries = [];

    public string FullUrl(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(bundleId.ToString("N") + "/" + name), hash);
        return "urn:uuid:" + new Guid(hash[..16]).ToString("D");
    }

    public ResourceReference Reference(string name) => new(FullUrl(name));

    public ResourceReference Add(string name, Resource resource)
    {
        _entries.Add(new Bundle.EntryComponent { FullUrl = FullUrl(name), Resource = resource });
        return Reference(name);
    }

    public List<Bundle.EntryComponent> ToList() => _entries;
}
