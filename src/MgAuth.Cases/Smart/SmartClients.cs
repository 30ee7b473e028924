using System.Security.Cryptography;
using MgAuth.Cases.Data;

namespace MgAuth.Cases.Smart;

/// <summary>Registering and revoking SMART clients: each one transaction with its audit entry (never the keys themselves).</summary>
public sealed class SmartClients(Database database, SmartClientStore store, TimeProvider clock)
{
    /// <summary>
    /// Registers a client of <paramref name="organizationId"/> with its JWKS (checked by <see cref="ClientJwks"/>) and the
    /// scopes it may be granted (all of <see cref="SmartScopes.All"/> when none are named). Bad input throws an
    /// <see cref="ArgumentException"/> saying every reason.
    /// </summary>
    public async Task<SmartClient> RegisterAsync(AuditActor by, string organizationId, string name, string jwks,
        IReadOnlyList<string>? scopes = null, string? npi = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(organizationId)) throw new ArgumentException("an organization is required (--org ORG)");
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a client names its system (--name NAME)");
        if (npi is not null && (npi.Length != 10 || !npi.All(char.IsAsciiDigit))) throw new ArgumentException($"an NPI is 10 digits, not '{npi}'");
        var (checkedJwks, problems) = ClientJwks.Check(jwks);
        if (checkedJwks is null) throw new ArgumentException("the JWKS is refused: " + string.Join("; ", problems));
        var asked = scopes is { Count: > 0 } ? scopes : SmartScopes.All;
        if (asked.FirstOrDefault(s => !SmartScopes.All.Contains(s)) is { } unknown)
            throw new ArgumentException($"scope '{unknown}' is not one of {string.Join(", ", SmartScopes.All)}");
        var client = new SmartClient("smart_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), organizationId, name.Trim(), npi,
            checkedJwks, string.Join(' ', SmartScopes.Granted(asked, asked)), clock.GetUtcNow(), null);
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            await SmartClientStore.InsertAsync(connection, transaction, client);
            await AuditLog.RecordAsync(connection, transaction, by, AuditActions.SmartClientRegistered, client.Id,
                $"organization {organizationId}, scopes {client.Scopes}", client.CreatedAt);
        }, cancellationToken);
        return client;
    }

    /// <summary>Revokes by client id: no more tokens (those issued live out their few minutes). False when there is no such active client.</summary>
    public async Task<bool> RevokeAsync(AuditActor by, string id, CancellationToken cancellationToken = default)
    {
        var at = clock.GetUtcNow();
        var revoked = false;
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            revoked = await SmartClientStore.RevokeAsync(connection, transaction, id, at);
            if (revoked) await AuditLog.RecordAsync(connection, transaction, by, AuditActions.SmartClientRevoked, id, null, at);
        }, cancellationToken);
        return revoked;
    }

    public Task<IReadOnlyList<SmartClient>> ListAsync(string? organizationId, CancellationToken cancellationToken = default) =>
        store.ListAsync(organizationId, cancellationToken);
}
