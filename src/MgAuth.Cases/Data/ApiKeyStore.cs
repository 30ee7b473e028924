using System.Security.Cryptography;
using System.Text;
using Dapper;
using MgAuth.Cases.Security;

namespace MgAuth.Cases.Data;

/// <param name="PersonId">The person behind the key (required for policy authors and approvers: <see cref="PersonIds"/>).</param>
public sealed record ApiKeyRecord(string Id, string OrganizationId, string Role, string Name, string? Npi, string? PersonId = null);

public sealed record IssuedKey(ApiKeyRecord Record, string Secret);

/// <summary>API keys: the secret is shown once at creation; only its SHA-256 is stored.</summary>
public sealed class ApiKeyStore(Database database, TimeProvider clock)
{
    public IssuedKey Create(string organizationId, string role, string name, string? npi = null, string? personId = null)
    {
        if (!Roles.All.Contains(role))
            throw new ArgumentException($"role must be one of {string.Join(", ", Roles.All)}, not '{role}'");
        if (string.IsNullOrWhiteSpace(organizationId))
            throw new ArgumentException("an organization is required");
        if (personId is null && PersonIds.Required(role))
            throw new ArgumentException($"a {role} key names the person it is for (--person ID): four eyes compare persons");
        if (personId is not null && !PersonIds.IsValid(personId))
            throw new ArgumentException($"a person id is 1 to 128 letters, digits and . _ @ | + - (no spaces), not '{personId}'");
        var record = new ApiKeyRecord(ApiKeyFormat.NewId(), organizationId, role, name, npi, personId);
        var secret = ApiKeyFormat.NewKey(record.Id);
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var now = clock.GetUtcNow();
        connection.Execute("INSERT INTO organizations (id, name, created_at) VALUES (@organizationId, @organizationId, @now) ON CONFLICT DO NOTHING",
            new { organizationId, now }, transaction);
        connection.Execute("""
            INSERT INTO api_keys (id, organization_id, role, name, npi, key_hash, created_at, person_id)
            VALUES (@Id, @OrganizationId, @Role, @Name, @Npi, @hash, @now, @PersonId)
            """, new { record.Id, record.OrganizationId, record.Role, record.Name, record.Npi, hash = Hash(secret), now, record.PersonId }, transaction);
        transaction.Commit();
        Issued?.Invoke(record.Id, Hash(secret));
        return new IssuedKey(record, secret);
    }

    /// <summary>Revokes by key id; returns false when there is no such active key.</summary>
    public bool Revoke(string id)
    {
        using var connection = database.Open();
        var revoked = connection.Execute("UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
            new { id, now = clock.GetUtcNow() }) == 1;
        if (revoked) Revoked?.Invoke(id);
        return revoked;
    }

    public async Task<ApiKeyRecord?> FindAsync(string secret)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>("""
            SELECT id AS Id, organization_id AS OrganizationId, role AS Role, name AS Name, npi AS Npi, person_id AS PersonId
            FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL
            """, new { hash = Hash(secret) });
    }

    /// <summary>An active key by its id (not its secret): who a caller is beyond their claims.</summary>
    public async Task<ApiKeyRecord?> FindByIdAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>("""
            SELECT id AS Id, organization_id AS OrganizationId, role AS Role, name AS Name, npi AS Npi, person_id AS PersonId
            FROM api_keys WHERE id = @id AND revoked_at IS NULL
            """, new { id });
    }

    public bool Any()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM api_keys") > 0;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A key was issued by this process: its id and hash (what authentication holds in memory).</summary>
    public event Action<string, string>? Issued;

    /// <summary>A key was revoked by this process.</summary>
    public event Action<string>? Revoked;

    /// <summary>Every active key's id and hash.</summary>
    public async Task<IReadOnlyList<(string Id, string Hash)>> ActiveHashesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string)>("SELECT id, key_hash FROM api_keys WHERE revoked_at IS NULL")];
    }

    /// <summary>The hash of the active key with this id, or null.</summary>
    public async Task<string?> HashOfAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT key_hash FROM api_keys WHERE id = @id AND revoked_at IS NULL", new { id });
    }
}
