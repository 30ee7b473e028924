using System.Collections.Concurrent;
using MgAuth.Api.Subscriptions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MgAuth.Api.Crd;

/// <summary>
/// Each EHR issuer's public signing keys, from its configured JWKS URL only (a token's <c>jku</c> is never followed),
/// through the SSRF guard (<see cref="EndpointGuard"/>: https on a public address unless <c>CdsHooks:AllowPrivateJwks</c>,
/// no redirects, at most 64 KB, 5 s). Keys are used for <see cref="CdsHooksOptions.JwksCacheMinutes"/>; a kid not among
/// them fetches the set again, at most once per <see cref="CdsHooksOptions.RefetchInterval"/> per issuer however many
/// unknown kids arrive. A fetch that fails leaves nothing more trusted than before: expired keys are never used again.
/// Only RSA and EC keys with a kid, for signing, are kept (a symmetric key in a JWKS is ignored).
/// </summary>
public sealed class EhrKeys(IHttpClientFactory http, IOptions<CdsHooksOptions> options, TimeProvider clock, ILogger<EhrKeys> log)
{
    public const string HttpClientName = "cds-hooks-jwks";
    public const int MaxJwksBytes = 64 * 1024;

    private readonly ConcurrentDictionary<string, IssuerKeys> _issuers = new(StringComparer.Ordinal);

    /// <summary>How many times a JWKS was asked for (tests: the refetch limit).</summary>
    internal long Fetches => Interlocked.Read(ref _fetches);

    private long _fetches;

    /// <summary>The issuer's signing keys when one of them has <paramref name="kid"/>; null when none has (or none can be had).</summary>
    public async Task<IReadOnlyList<SecurityKey>?> ForAsync(EhrIssuer issuer, string kid, CancellationToken cancellationToken)
    {
        var held = _issuers.GetOrAdd(issuer.Issuer, _ => new IssuerKeys());
        if (Usable(held.Current, kid) is { } known) return known;
        await held.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another request may have fetched while this one waited.
            if (Usable(held.Current, kid) is { } fetched) return fetched;
            var now = clock.GetUtcNow();
            if (held.LastAttempt is { } last && now - last < CdsHooksOptions.RefetchInterval) return null;
            held.LastAttempt = now;
            if (await FetchAsync(issuer, cancellationToken) is not { } keys) return null;
            held.Current = new KeySet(keys, now);
            return Usable(held.Current, kid);
        }
        finally
        {
            held.Gate.Release();
        }
    }

    private IReadOnlyList<SecurityKey>? Usable(KeySet? set, string kid) =>
        set is not null && clock.GetUtcNow() - set.FetchedAt < TimeSpan.FromMinutes(options.Value.JwksCacheMinutes)
        && set.Keys.Any(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal))
            ? set.Keys
            : null;

    private async Task<IReadOnlyList<SecurityKey>?> FetchAsync(EhrIssuer issuer, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        if (!Uri.TryCreate(issuer.JwksUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            log.LogWarning("CDS Hooks issuer {Issuer}: its JwksUrl is not an http(s) URL", issuer.Issuer);
            return null;
        }
        if (EndpointGuard.Refusal(url, options.Value.AllowPrivateJwks) is { } refusal)
        {
            log.LogWarning("CDS Hooks issuer {Issuer}: its JWKS URL is refused: {Refusal}", issuer.Issuer, refusal);
            return null;
        }
        try
        {
            var client = http.CreateClient(HttpClientName);
            using var response = await client.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("CDS Hooks issuer {Issuer}: its JWKS answered {Status}", issuer.Issuer, (int)response.StatusCode);
                return null;
            }
            var set = new JsonWebKeySet(await response.Content.ReadAsStringAsync(cancellationToken));
            return [.. set.Keys.Where(Signs)];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException)
        {
            if (cancellationToken.IsCancellationRequested) throw;
            log.LogWarning("CDS Hooks issuer {Issuer}: its JWKS could not be fetched: {Error}", issuer.Issuer, e.Message);
            return null;
        }
    }

    // An asymmetric signing key the token can name: never a symmetric one a JWKS should not hold.
    private static bool Signs(JsonWebKey key) =>
        key.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve
        && !string.IsNullOrEmpty(key.Kid)
        && (string.IsNullOrEmpty(key.Use) || key.Use == JsonWebKeyUseNames.Sig);

    /// <summary>The HTTP client JWKS are fetched with: through the SSRF guard, small and quick.</summary>
    public static void AddHttpClient(IServiceCollection services, bool allowPrivate) =>
        services.AddHttpClient(HttpClientName, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(5);
                client.MaxResponseContentBufferSize = MaxJwksBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => EndpointGuard.Handler(allowPrivate));

    private sealed record KeySet(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    private sealed class IssuerKeys
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public volatile KeySet? Current;
        public DateTimeOffset? LastAttempt { get; set; }
    }
}
