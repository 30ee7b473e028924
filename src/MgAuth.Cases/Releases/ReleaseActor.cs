using MgAuth.Cases.Data;

namespace MgAuth.Cases.Releases;

/// <summary>
/// Who publishes, activates or rolls back a release: the key (or the command line's user) and the
/// person behind it — the key's NPI when it has one, else the name it was issued to. Four eyes
/// compare persons, so one person holding an author key and an approver key cannot approve their own release.
/// </summary>
public sealed record ReleaseActor(string Id, string Role, string Person, string? OrganizationId)
{
    /// <summary>The release built into the service: reviewed before it was deployed.</summary>
    public static ReleaseActor Repository { get; } = new("repository", "deployment", "deployment", null);

    public AuditActor Audit => new(Id, Role, OrganizationId);

    /// <summary>A caller of the service, by the key it authenticated with.</summary>
    public static ReleaseActor Of(ApiKeyRecord key) =>
        new(key.Id, key.Role, key.Npi is { } npi ? $"npi:{npi}" : $"name:{Normalize(key.Name)}", key.OrganizationId);

    /// <summary>A person at the command line, by the name they give (<c>--by</c>).</summary>
    public static ReleaseActor CommandLine(string name, string role) => new(name, role, $"name:{Normalize(name)}", null);

    public bool IsSamePersonAs(string publishedBy, string? publisherPerson) =>
        Id == publishedBy || (publisherPerson is not null && Person == publisherPerson);

    private static string Normalize(string name) => string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
