using System.Data.Common;
using Dapper;

namespace MgAuth.Cases.Data;

/// <summary>A PAS request Bundle as received: its Claim's identifier (how an EHR asks about it later) and its JSON.</summary>
public sealed record PasBundle(string? ClaimSystem, string? ClaimValue, string Json);

/// <summary>A stored PAS request: <see cref="Service"/> is <see cref="PasRequestStore.Ivig"/> (the case is the authorization
/// with the same id) or <see cref="PasRequestStore.OtherService"/> (pended for manual review; this row is the case).</summary>
public sealed record PasRequestRow
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string Service { get; init; }
    public string? ClaimSystem { get; init; }
    public string? ClaimValue { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public required string BundleJson { get; init; }

    /// <summary>The key an EHR sent with a request for another service, and the SHA-256 of that request's Bundle.</summary>
    public string? IdempotencyKey { get; init; }
    public string? RequestSha256 { get; init; }
}

/// <summary>The PAS request Bundles Claim/$submit received, for Claim/$inquire to find and answer about.</summary>
public sealed class PasRequestStore(Database database)
{
    public const string Ivig = "ivig";
    public const string OtherService = "other";

    private const string Columns = """
        id AS Id, organization_id AS OrganizationId, service AS Service, claim_identifier_system AS ClaimSystem,
        claim_identifier_value AS ClaimValue, received_at AS ReceivedAt, bundle_json AS BundleJson,
        idempotency_key AS IdempotencyKey, request_sha256 AS RequestSha256
        """;

    /// <summary>
    /// Stores a request for a service no policy decides: the case, pended for manual review. A key the organization
    /// used before answers false (nothing stored).
    /// </summary>
    public async Task<bool> InsertOtherServiceAsync(string id, string organizationId, DateTimeOffset receivedAt, PasBundle bundle,
        string? idempotencyKey, string requestSha256, CancellationToken cancellationToken = default)
    {
        var row = Row(id, organizationId, OtherService, receivedAt, bundle) with { IdempotencyKey = idempotencyKey, RequestSha256 = requestSha256 };
        try
        {
            await database.Writer.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, row), cancellationToken);
            return true;
        }
        catch (DbException e) when (DatabaseErrors.IsUniqueViolation(e, "idempotency_key"))
        {
            return false;
        }
    }

    /// <summary>The request for another service an organization sent with this Idempotency-Key.</summary>
    public async Task<PasRequestRow?> FindByIdempotencyKeyAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PasRequestRow>(
            $"SELECT {Columns} FROM pas_requests WHERE organization_id = @organizationId AND idempotency_key = @key", new { organizationId, key });
    }

    internal static PasRequestRow Row(string id, string organizationId, string service, DateTimeOffset receivedAt, PasBundle bundle) => new()
    {
        Id = id,
        OrganizationId = organizationId,
        Service = service,
        ClaimSystem = bundle.ClaimSystem,
        ClaimValue = bundle.ClaimValue,
        ReceivedAt = receivedAt,
        BundleJson = bundle.Json,
    };

    public async Task<PasRequestRow?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PasRequestRow>($"SELECT {Columns} FROM pas_requests WHERE id = @id", new { id });
    }

    /// <summary>
    /// Every request whose Claim had this identifier, latest first, among <paramref name="organizationId"/>'s (null: every
    /// organization's); a null <paramref name="system"/> matches the value under any system. Two EHRs (or one, reusing a
    /// trace number) may send one identifier twice: the caller tells them apart by what else the Claims say.
    /// </summary>
    public async Task<IReadOnlyList<PasRequestRow>> FindAllByClaimAsync(string? organizationId, string? system, string value,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PasRequestRow>($"""
            SELECT {Columns} FROM pas_requests
            WHERE claim_identifier_value = @value AND (@system IS NULL OR claim_identifier_system = @system)
              AND (@organizationId IS NULL OR organization_id = @organizationId)
            ORDER BY received_at DESC, id DESC
            """, new { organizationId, system, value })).ToArray();
    }

    /// <summary>
    /// The latest request whose Claim had this identifier, among <paramref name="organizationId"/>'s (null: every
    /// organization's); a null <paramref name="system"/> matches the value under any system.
    /// </summary>
    public async Task<PasRequestRow?> FindByClaimAsync(string? organizationId, string? system, string value,
        CancellationToken cancellationToken = default) =>
        (await FindAllByClaimAsync(organizationId, system, value, cancellationToken)).FirstOrDefault();

    internal static Task InsertAsync(DbConnection connection, DbTransaction transaction, PasRequestRow row) =>
        connection.ExecuteAsync("""
            INSERT INTO pas_requests (id, organization_id, service, claim_identifier_system, claim_identifier_value, received_at, bundle_json,
                idempotency_key, request_sha256)
            VALUES (@Id, @OrganizationId, @Service, @ClaimSystem, @ClaimValue, @ReceivedAt, @BundleJson, @IdempotencyKey, @RequestSha256)
            """, row, transaction);
}
