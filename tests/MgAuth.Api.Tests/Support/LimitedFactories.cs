using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests.Support;

/// <summary>The service refusing bodies over 512 bytes.</summary>
public sealed class SmallBodyFactory : MgAuthFactory
{
    public const int MaxBytes = 512;

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [new("Limits:MaxRequestBytes", MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>The service letting a key make 2 requests at once and 1 a second after that.</summary>
public sealed class RateLimitedFactory : MgAuthFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [new("RateLimiting:PermitsPerSecond", "1"), new("RateLimiting:Burst", "2")];
}

/// <summary>The service giving up on a locked database after 200 ms.</summary>
public sealed class ShortBusyTimeoutFactory : MgAuthFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => [new("Storage:BusyTimeoutMs", "200")];
}

/// <summary>The service giving a rule-pack worker 20 s (the default is 60 s), so the endless-loop attack ends sooner.</summary>
public sealed class ShortWorkerTimeoutFactory : MgAuthFactory
{
    public const int Seconds = 20;

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [new("Worker:TimeoutSeconds", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>
/// The service letting a client address fail authentication <see cref="Budget"/> times a minute. A test says which
/// address it calls from (TestServer gives every request the same one): see <see cref="From"/>.
/// </summary>
public class FailedAuthLimitedFactory : MgAuthFactory
{
    public const int Budget = 5;
    private const string AddressHeader = "X-Test-Client-Address";

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [new("Security:FailedAuthPerMinute", Budget.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
    }

    /// <summary>A client calling from <paramref name="address"/>, with the secret given (or none).</summary>
    public HttpClient From(string address, string? secret)
    {
        var client = ClientWithSecret(secret);
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                    context.Connection.RemoteIpAddress = address;
                return then(context);
            });
            next(app);
        };
    }
}

/// <summary>The service remembering at most <see cref="Entries"/> good keys.</summary>
public sealed class SmallKeyCacheFactory : MgAuthFactory
{
    public const int Entries = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [new("Security:KeyCacheEntries", Entries.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>The service opting out of waiting for the disk at every commit (Storage:Durability=normal).</summary>
public sealed class RelaxedDurabilityFactory : MgAuthFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => [new("Storage:Durability", "normal")];
}

/// <summary>
/// The service delivering PAS notifications to loopback endpoints (a test's receiver), looking for due ones every
/// 100 ms and retrying after 200 ms, 800 ms, ….
/// </summary>
public sealed class LoopbackSubscriptionsFactory : MgAuthFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
    [
        new("Subscriptions:AllowPrivateEndpoints", "true"), new("Subscriptions:PollSeconds", "0.1"),
        new("Subscriptions:FirstRetrySeconds", "0.2"), new("Subscriptions:MaxAttempts", "4"), new("Subscriptions:TimeoutSeconds", "5"),
    ];
}

/// <summary>
/// A database from before keys carried their id: before the service starts, it holds an active key of the old form
/// (<c>mga_</c> and 43 characters) for org A, whose secret is <see cref="LegacySecret"/>.
/// </summary>
public sealed class LegacyKeyFactory : FailedAuthLimitedFactory
{
    public const string LegacyKeyId = "key_c0ffee000001";

    public LegacyKeyFactory()
    {
        LegacySecret = "mga_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var database = new MgAuth.Cases.Data.Database(TestStorage.Provider, ConnectionString, TimeProvider.System);
        database.Migrate();
        using var connection = database.Open();
        var now = DateTimeOffset.UtcNow.ToString("O");
        using (var organization = Command(connection, "INSERT INTO organizations (id, name, created_at) VALUES (@org, @org, @now)",
                   ("@org", TestKeys.OrgA), ("@now", now)))
            organization.ExecuteNonQuery();
        using var key = Command(connection, """
            INSERT INTO api_keys (id, organization_id, role, name, npi, key_hash, created_at)
            VALUES (@id, @org, 'provider', 'Org A portal (issued before key ids)', '1234567893', @hash, @now)
            """, ("@id", LegacyKeyId), ("@org", TestKeys.OrgA), ("@hash", MgAuth.Cases.Data.ApiKeyStore.Hash(LegacySecret)), ("@now", now));
        key.ExecuteNonQuery();
    }

    public string LegacySecret { get; }
}

/// <summary>
/// The service behind a reverse proxy: <c>X-Forwarded-For</c> is honoured from <see cref="Proxy"/> and from the
/// <see cref="ProxyNetwork"/> only (<c>ForwardedHeaders:KnownProxies</c>, <c>ForwardedHeaders:KnownNetworks</c>).
/// </summary>
public sealed class ProxiedFactory : FailedAuthLimitedFactory
{
    public const string Proxy = "10.9.0.1";
    public const string ProxyNetwork = "10.8.0.0/16";

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [.. base.Overrides, new("ForwardedHeaders:KnownProxies:0", Proxy), new("ForwardedHeaders:KnownNetworks:0", ProxyNetwork)];

    /// <summary>A client connecting from <paramref name="address"/> and claiming, in X-Forwarded-For, to be <paramref name="forwardedFor"/>.</summary>
    public HttpClient From(string address, string? secret, string forwardedFor)
    {
        var client = From(address, secret);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }
}
