using System.Data.Common;
using Dapper;
using MgAuth.Domain.Decisions;

namespace MgAuth.Cases.Data;

/// <summary>Who did something, for the audit log: a key (or the command line's user), its role and organization, and the person.</summary>
public sealed record AuditActor(string Id, string Role, string? OrganizationId, Person? Person = null);

public sealed record AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string ActorRole { get; init; }
    public string? OrganizationId { get; init; }
    public required string Action { get; init; }
    public string? Subject { get; init; }
    public string? Detail { get; init; }
    public string? ActorIssuer { get; init; }
    public string? ActorSubject { get; init; }
    public string? ActorName { get; init; }
    public string? ActorKeyName { get; init; }

    /// <summary>Who acted, as a person (an entry recorded before persons were: its key, by the key's name if known).</summary>
    public Person Person => Person.Stored(ActorIssuer, ActorSubject, ActorName, Actor, ActorKeyName);
}

/// <summary>The actions the audit log records outside a case's own trail.</summary>
public static class AuditActions
{
    public const string ReleasePublished = "release.published";
    public const string ReleaseActivated = "release.activated";
    public const string ReleaseRolledBack = "release.rolled_back";
    public const string ImpactRun = "release.impact_run";
    public const string KeyIssued = "key.issued";
    public const string KeyRevoked = "key.revoked";
    public const string SmartClientRegistered = "smart_client.registered";
    public const string SmartClientRevoked = "smart_client.revoked";
    public const string OrganizationIdentified = "organization.identified";
}

/// <summary>
/// The append-only log of what people did that is not about one case (a case's events are its own
/// trail). Details never carry member data: ids, hashes and counts only.
/// </summary>
public sealed class AuditLog(Database database)
{
    /// <summary>Appends an entry inside the caller's write, so it commits (or not) with the change it records.</summary>
    public static Task RecordAsync(DbConnection connection, DbTransaction transaction, AuditActor actor, string action, string? subject,
        string? detail, DateTimeOffset at) =>
        connection.ExecuteAsync("""
            INSERT INTO audit_log (at, actor, actor_role, organization_id, action, subject, detail, actor_issuer, actor_subject, actor_name)
            VALUES (@at, @Id, @Role, @OrganizationId, @action, @subject, @detail, @issuer, @personSubject, @name)
            """, new
            {
                at, actor.Id, actor.Role, actor.OrganizationId, action, subject, detail, issuer = actor.Person?.Issuer,
                personSubject = actor.Person?.Subject, name = actor.Person?.Name,
            }, transaction);

    /// <summary>An entry that records no other change (an impact run): a write of its own.</summary>
    public Task RecordAsync(AuditActor actor, string action, string? subject, string? detail, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync((connection, transaction) => RecordAsync(connection, transaction, actor, action, subject, detail, at),
            cancellationToken);

    /// <summary>The newest entries first, those whose action starts with <paramref name="actionPrefix"/>.</summary>
    public IReadOnlyList<AuditEntry> Entries(string actionPrefix = "", int limit = 500)
    {
        using var connection = database.Open();
        return connection.Query<AuditEntry>("""
            SELECT id AS Id, at AS At, actor AS Actor, actor_role AS ActorRole, organization_id AS OrganizationId, action AS Action,
                subject AS Subject, detail AS Detail, actor_issuer AS ActorIssuer, actor_subject AS ActorSubject, actor_name AS ActorName,
                (SELECT k.name FROM api_keys k WHERE k.id = audit_log.actor) AS ActorKeyName
            FROM audit_log WHERE action LIKE @prefix ESCAPE '\' ORDER BY id DESC LIMIT @limit
            """, new { prefix = actionPrefix.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%", limit }).ToArray();
    }
}
