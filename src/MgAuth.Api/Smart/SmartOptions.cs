namespace MgAuth.Api.Smart;

/// <summary>The <c>Smart</c> section: the SMART Backend Services token server.</summary>
public sealed class SmartOptions
{
    public const string Section = "Smart";

    /// <summary>Where the token endpoint is served (relative to the service's root).</summary>
    public const string TokenPath = "/auth/token";

    /// <summary>How long an access token lives: a revoked client's tokens die within it.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The longest a client assertion may be valid for (its exp at most this far ahead), as SMART asks.</summary>
    public static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The audience of every token this server issues for the service.</summary>
    public const string Audience = "mgauth";

    /// <summary>The issuer URL (<c>https://auth.plan.example/</c>); unset, the URL the request came to.</summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// A PEM file with the RSA private key that signs access tokens. Unset, a key made at start signs them (tokens do not
    /// survive a restart, and several replicas need a shared file).
    /// </summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Refuse the token endpoint over plain HTTP (off: TLS ends at the reverse proxy, as for the rest of the service).</summary>
    public bool RequireHttps { get; set; }
}
