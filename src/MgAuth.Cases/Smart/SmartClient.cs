namespace MgAuth.Cases.Smart;

/// <summary>
/// A provider organization's system registered for SMART Backend Services: it authenticates with a JWT signed by a key
/// of <see cref="Jwks"/> and acts as a <c>provider</c> of <see cref="OrganizationId"/>.
/// </summary>
/// <param name="Id">The client id (<c>smart_</c> and 16 hex digits): the assertion's iss and sub, the token's sub.</param>
/// <param name="Scopes">Space-separated system scopes it may be granted (<see cref="SmartScopes"/>).</param>
public sealed record SmartClient(string Id, string OrganizationId, string Name, string? Npi, string Jwks, string Scopes,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool Active => RevokedAt is null;

    public IReadOnlyList<string> ScopeList => SmartScopes.Split(Scopes);
}
