using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>
/// Entries of a Bundle being written, each under a <c>urn:uuid</c> fullUrl derived from the Bundle's id and the
/// entry's name, so the same request written with the same id gives the same Bundle. Each is shaped as a version 4
/// UUID (the PAS kit checks <c>urn:uuid:</c> fullUrls against that form).
/// </summary>
internal sealed class BundleEntries(Guid bundleId)
{
    private readonly List<Bundle.EntryComponent> _entries = [];

    public string FullUrl(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(bundleId.ToString("N") + "/" + name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40); // version 4
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return "urn:uuid:" + new Guid(hash[..16], bigEndian: true).ToString("D");
    }

    public ResourceReference Reference(string name) => new(FullUrl(name));

    public ResourceReference Add(string name, Resource resource)
    {
        _entries.Add(new Bundle.EntryComponent { FullUrl = FullUrl(name), Resource = resource });
        return Reference(name);
    }

    public List<Bundle.EntryComponent> ToList() => _entries;
}
