using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using MgAuth.Domain.Decisions;

namespace MgAuth.Cases.Releases;

/// <summary>
/// Who publishes, activates or rolls back a release: the key (or the access token's subject, or the command line's user)
/// and the person behind it — a person signed in at the identity provider, or the person id a key was issued with
/// (<see cref="PersonIds"/>), never a key's name or NPI. Four eyes compare persons, so one person holding an author key and
/// an approver key, or a key and a sign-in, cannot approve their own release. A key that names no person has none
/// (<see cref="Person"/> is null) and may neither publish nor activate.
/// </summary>
public sealed record ReleaseActor(string Id, string Role, Person? Person, string? OrganizationId)
{
    /// <summary>The release built into the service: reviewed before it was deployed.</summary>
    public static ReleaseActor Repository { get; } = new("repository", "deployment", new Person(Person.KeysIssuer, "deployment", "deployment"), null);

    public AuditActor Audit => new(Id, Role, OrganizationId, Person);

    /// <summary>A caller of the service: the person they are, when they are one (a key that names nobody is not).</summary>
    public static ReleaseActor Of(Caller caller) => new(caller.KeyId, caller.Role, caller.NamesPerson ? caller.Person : null, caller.OrganizationId);

    /// <summary>A person at the command line, by the name or person id they give (<c>--by</c>).</summary>
    public static ReleaseActor CommandLine(string name, string role)
    {
        var person = string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return new(name, role, new Person(Person.KeysIssuer, person, person), null);
    }

    /// <summary>The same key, or the same person (<see cref="Domain.Decisions.Person.IsSamePersonAs"/>).</summary>
    public bool IsSamePersonAs(string publishedBy, Person? publisher) => Id == publishedBy || (Person?.IsSamePersonAs(publisher) ?? false);

    /// <summary>
    /// A release recorded before keys named persons: its publisher is kept as "npi:…" or "name:…" (or not at all), which
    /// no person id equals, so four eyes cannot be checked on it.
    /// </summary>
    public static bool IsBeforePersonIds(string? publisherPerson) =>
        publisherPerson is null || publisherPerson.StartsWith("npi:", StringComparison.Ordinal) || publisherPerson.StartsWith("name:", StringComparison.Ordinal);
}
