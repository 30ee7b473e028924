using System.Data.Common;
using Dapper;
using MgAuth.Cases.Data;

namespace MgAuth.Cases.Smart;

/// <summary>The smart_clients table. Registering and revoking are <see cref="SmartClients"/>'.</summary>
public sealed class SmartClientStore(Database database)
{
    private const string Columns = """
        id AS Id, organization_id AS OrganizationId, name AS Name, npi AS Npi, jwks_json AS Jwks, scopes AS Scopes,
        created_at AS CreatedAt, revoked_at AS RevokedAt
        """;

    /// <summary>Stores a new client (and its organization, if new) inside the caller's write.</summary>
    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, SmartClient client)
    {
        await connection.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES (@OrganizationId, @OrganizationId, @CreatedAt) ON CONFLICT DO NOTHING",
            new { client.OrganizationId, client.CreatedAt }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO smart_clients (id, organization_id, name, npi, jwks_json, scopes, created_at)
            VALUES (@Id, @OrganizationId, @Name, @Npi, @Jwks, @Scopes, @CreatedAt)
            """, client, transaction);
    }

    /// <summary>Revokes an active client inside the caller's write; false when there is no such active client.</summary>
    public static async Task<bool> RevokeAsync(DbConnection connection, DbTransaction transaction, string id, DateTimeOffset at) =>
        await connection.ExecuteAsync("UPDATE smart_clients SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", new { id, at }, transaction) == 1;

    /// <summary>A client by id, revoked or not.</summary>
    public async Task<SmartClient?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SmartClient>($"SELECT {Columns} FROM smart_clients WHERE id = @id", new { id });
    }

    /// <summary>Every client (of one organization, when given), oldest first.</summary>
    public async Task<IReadOnlyList<SmartClient>> ListAsync(string? organizationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<SmartClient>($"""
            SELECT {Columns} FROM smart_clients WHERE @organizationId IS NULL OR organization_id = @organizationId ORDER BY created_at, id
            """, new { organizationId })];
    }
}
