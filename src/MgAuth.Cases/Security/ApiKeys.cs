using MgAuth.Cases.Data;

namespace MgAuth.Cases.Security;

/// <summary>
/// Issuing and revoking API keys: the secret is shown once at creation; only its SHA-256 is stored. Each is one
/// transaction with its audit entry (who issued or revoked which key; never the secret or its hash).
/// </summary>
public sealed class ApiKeys(Database database, TimeProvider clock)
{
    public async Task<IssuedKey> CreateAsync(AuditActor by, string organizationId, string role, string name, string? npi = null,
        string? personId = null, string? personIssuer = null, CancellationToken cancellationToken = default)
    {
        if (!Roles.All.Contains(role))
            throw new ArgumentException($"role must be one of {string.Join(", ", Roles.All)}, not '{role}'");
        if (string.IsNullOrWhiteSpace(organizationId))
            throw new ArgumentException("an organization is required");
        if (personId is null && PersonIds.Required(role))
            throw new ArgumentException($"a {role} key names the person it is for (--person ID): the records name the person who acted, and four eyes compare persons");
        if (personId is not null && !PersonIds.IsValid(personId))
            throw new ArgumentException($"a person id is 1 to 128 letters, digits and . _ @ | + - (no spaces), not '{personId}'");
        if (personIssuer is not null && (personId is null || !Uri.TryCreate(personIssuer, UriKind.Absolute, out _)))
            throw new ArgumentException($"--person-issuer is the identity provider's issuer URL of the person named with --person, not '{personIssuer}'");
        var record = new ApiKeyRecord(ApiKeyFormat.NewId(), organizationId, role, name, npi, personId, personIssuer);
        var secret = ApiKeyFormat.NewKey(record.Id);
        var hash = ApiKeyStore.Hash(secret);
        var at = clock.GetUtcNow();
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            await ApiKeyStore.InsertAsync(connection, transaction, record, hash, at);
            await AuditLog.RecordAsync(connection, transaction, by, AuditActions.KeyIssued, record.Id,
                $"role {role}, organization {organizationId}" + (personId is null ? "" : $", person {personId}" + (personIssuer is null ? "" : $" at {personIssuer}")), at);
        }, cancellationToken);
        Issued?.Invoke(record.Id, hash);
        return new IssuedKey(record, secret);
    }

    /// <summary>Revokes by key id; returns false when there is no such active key.</summary>
    public async Task<bool> RevokeAsync(AuditActor by, string id, CancellationToken cancellationToken = default)
    {
        var at = clock.GetUtcNow();
        var revoked = false;
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            revoked = await ApiKeyStore.RevokeAsync(connection, transaction, id, at);
            if (revoked) await AuditLog.RecordAsync(connection, transaction, by, AuditActions.KeyRevoked, id, null, at);
        }, cancellationToken);
        if (revoked) Revoked?.Invoke(id);
        return revoked;
    }

    /// <summary>A key was issued by this process: its id and hash (what authentication holds in memory).</summary>
    public event Action<string, string>? Issued;

    /// <summary>A key was revoked by this process.</summary>
    public event Action<string>? Revoked;
}
