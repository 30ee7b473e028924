using MgAuth.Testing;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// The service with staff sign-in at the Node <c>oidc-provider</c> (<see cref="OidcProvider"/>), reached over loopback as a
/// real provider is: Staff:Authority is its issuer, and the service fetches its metadata and keys itself.
/// </summary>
public sealed class OidcProviderFactory : MgAuthFactory, IAsyncLifetime
{
    private OidcProvider? _idp;

    internal OidcProvider Idp => _idp ?? throw new InvalidOperationException("the identity provider has not started");

    public async Task InitializeAsync() => _idp = await OidcProvider.StartAsync();

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => Idp.StaffSettings();

    /// <summary>A client of the service acting with <paramref name="subject"/>'s access token, signed in at the provider.</summary>
    public async Task<HttpClient> SignedInAsync(string subject) => ClientWithToken((await Idp.SignInAsync(subject)).AccessToken);

    public HttpClient ClientWithToken(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_idp is not null) await _idp.DisposeAsync();
    }
}
