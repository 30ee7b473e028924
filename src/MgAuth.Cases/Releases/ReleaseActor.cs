using MgAuth.Cases.Data;
using MgAuth.Cases.Security;

namespace MgAuth.Cases.Releases;

/// <summary>
/// Who publishes, activates or rolls back a release: the key (or the command line's user) and the person behind it —
/// the person id the key was issued with (<see cref="PersonIds"/>), never its name or NPI. Four eyes compare persons,
/// so one person holding an author key and an approver key cannot approve their own release. A key issued before keys
/// named persons has none (<see cref="Person"/> is null) and may neither publish nor activate.
/// </summary>
public sealed record ReleaseActor(string Id, string Role, string? Person, string? OrganizationId)
{
    /// <summary>The release built into the service: reviewed before it was deployed.</summary>
    public static ReleaseActor Repository { get; } = new("repository", "deployment", "deployment", null);

    public AuditActor Audit => new(Id, Role, OrganizationId);

    /// <summary>A caller of the service, by the key it authenticated with.</summary>
    public static ReleaseActor Of(ApiKeyRecord key) => new(key.Id, key.Role, key.PersonId, key.OrganizationId);

    /// <summary>A person at the command line, by the name or person id they give (<c>--by</c>).</summary>
    public static ReleaseActor CommandLine(string name, string role) =>
        new(name, role, string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), null);

    /// <summary>The same key, or the same person id.</summary>
    public bool IsSamePersonAs(string publishedBy, string? publisherPerson) => Id == publishedBy || PersonIds.Same(Person, publisherPerson);

    /// <summary>
    /// A release recorded before keys named persons: its publisher is kept as "npi:…" or "name:…" (or not at all), which
    /// no person id equals, so four eyes cannot be checked on it.
    /// </summary>
    public static bool IsBeforePersonIds(string? publisherPerson) =>
        publisherPerson is null || publisherPerson.StartsWith("npi:", StringComparison.Ordinal) || publisherPerson.StartsWith("name:", StringComparison.Ordinal);
}
