using System.Security.Cryptography;
using System.Text;
using Dapper;
using System.Data.Common;
using MgAuth.Cases.Security;
using MgAuth.Domain.Decisions;

namespace MgAuth.Cases.Data;

/// <param name="PersonId">The person behind the key (required for policy authors and approvers: <see cref="PersonIds"/>).</param>
/// <param name="PersonIssuer">Where <paramref name="PersonId"/> is a subject: the identity provider's issuer URL, so the key and
/// that person's sign-in are one person; null for a person id of the plan's own (<see cref="Person.KeysIssuer"/>).</param>
public sealed record ApiKeyRecord(string Id, string OrganizationId, string Role, string Name, string? Npi, string? PersonId = null,
    string? PersonIssuer = null)
{
    /// <summary>The person acting with this key: its person id at its issuer, or the key itself when it names nobody; by the key's name.</summary>
    public Person Person => PersonId is null ? Person.OfKey(Id, Name) : new(PersonIssuer ?? Person.KeysIssuer, PersonId, Name);
}

public sealed record IssuedKey(ApiKeyRecord Record, string Secret);

/// <summary>API keys as stored: only the secret's SHA-256 is kept. Issuing and revoking are <see cref="ApiKeys"/>'.</summary>
public sealed class ApiKeyStore(Database database)
{
    /// <summary>Stores a new key (and its organization, if new) inside the caller's write.</summary>
    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, ApiKeyRecord record, string hash, DateTimeOffset at)
    {
        await connection.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES (@OrganizationId, @OrganizationId, @at) ON CONFLICT DO NOTHING",
            new { record.OrganizationId, at }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO api_keys (id, organization_id, role, name, npi, key_hash, created_at, person_id, person_issuer)
            VALUES (@Id, @OrganizationId, @Role, @Name, @Npi, @hash, @at, @PersonId, @PersonIssuer)
            """, new { record.Id, record.OrganizationId, record.Role, record.Name, record.Npi, hash, at, record.PersonId, record.PersonIssuer },
            transaction);
    }

    /// <summary>Revokes an active key inside the caller's write; false when there is no such active key.</summary>
    public static async Task<bool> RevokeAsync(DbConnection connection, DbTransaction transaction, string id, DateTimeOffset at) =>
        await connection.ExecuteAsync("UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", new { id, at }, transaction) == 1;

    public async Task<ApiKeyRecord?> FindAsync(string secret)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>("""
            SELECT id AS Id, organization_id AS OrganizationId, role AS Role, name AS Name, npi AS Npi, person_id AS PersonId, person_issuer AS PersonIssuer
            FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL
            """, new { hash = Hash(secret) });
    }

    /// <summary>An active key by its id (not its secret): who a caller is beyond their claims.</summary>
    public async Task<ApiKeyRecord?> FindByIdAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>("""
            SELECT id AS Id, organization_id AS OrganizationId, role AS Role, name AS Name, npi AS Npi, person_id AS PersonId, person_issuer AS PersonIssuer
            FROM api_keys WHERE id = @id AND revoked_at IS NULL
            """, new { id });
    }

    public bool Any()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM api_keys") > 0;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

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
