using Microsoft.Extensions.Options;

namespace MgAuth.Api.Crd;

/// <summary>
/// The <c>CdsHooks</c> section: the EHRs whose signed CDS Hooks calls (CDS Hooks 2.0, "Trusting CDS Clients") are
/// accepted on <c>/cds-services/*</c> besides API keys, and where the audience they must name is.
/// </summary>
public sealed class CdsHooksOptions
{
    public const string Section = "CdsHooks";

    /// <summary>The longest a token may be valid for (<c>exp - iat</c>): a call's token is minted for the call.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>How far the EHR's clock may be from ours.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>An issuer's JWKS is fetched at most this often, whatever kids are presented.</summary>
    public static readonly TimeSpan RefetchInterval = TimeSpan.FromMinutes(1);

    /// <summary>The EHR issuers trusted, each tied to the organization its calls act for.</summary>
    public List<EhrIssuer> Issuers { get; set; } = [];

    /// <summary>
    /// The service's public base URL (<c>https://payer.example</c>): a token's <c>aud</c> must be this and the path of the
    /// service called. Unset, the base is the request's own scheme (<c>X-Forwarded-Proto</c> from a trusted proxy), host
    /// and path base — fine for development; set it in production (it is required there), where the Host header is the
    /// caller's to choose.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>How long an issuer's keys are used before they are fetched again.</summary>
    public double JwksCacheMinutes { get; set; } = 60;

    /// <summary>
    /// Development and tests only: allow http and JWKS URLs on loopback or private addresses. Off, a configured JWKS URL
    /// cannot make the service call into the payer's own network.
    /// </summary>
    public bool AllowPrivateJwks { get; set; }

    /// <summary>
    /// Development and tests only: allow a hook request's <c>fhirServer</c> on http, loopback or private addresses. Off, a
    /// caller cannot make the service read (with a token the caller chose) from inside the payer's own network.
    /// </summary>
    public bool AllowPrivateFhirServer { get; set; }

    /// <summary>How long reading the missing prefetch from a hook request's <c>fhirServer</c> may take, all reads together.</summary>
    public double FhirServerSeconds { get; set; } = 10;

    /// <summary>The most read from a <c>fhirServer</c> for one call, all its reads together.</summary>
    public int MaxFhirServerResponseBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The configured issuer with exactly this <c>iss</c>, or null.</summary>
    public EhrIssuer? Find(string? issuer) =>
        string.IsNullOrEmpty(issuer) ? null : Issuers.FirstOrDefault(i => string.Equals(i.Issuer, issuer, StringComparison.Ordinal));
}

/// <summary>One EHR that signs its CDS Hooks calls.</summary>
public sealed class EhrIssuer
{
    /// <summary>The token's <c>iss</c>, exactly.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Where its public keys are (fetched through the SSRF guard; a token's <c>jku</c> is never followed).</summary>
    public string JwksUrl { get; set; } = "";

    /// <summary>The MgAuth organization its calls act for (as an API key's organization).</summary>
    public string OrganizationId { get; set; } = "";

    /// <summary>The name its calls are recorded under (the person's display name when the token names no one we know).</summary>
    public string Name { get; set; } = "";
}

/// <summary>The <c>CdsHooks</c> section as the service starts: every issuer complete, and an audience in production.</summary>
public sealed class CdsHooksOptionsCheck(IHostEnvironment environment) : IValidateOptions<CdsHooksOptions>
{
    public ValidateOptionsResult Validate(string? name, CdsHooksOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Issuers.Count; i++)
        {
            var issuer = options.Issuers[i];
            var at = $"{CdsHooksOptions.Section}:Issuers:{i}";
            if (string.IsNullOrWhiteSpace(issuer.Issuer)) failures.Add($"{at}:Issuer is required");
            if (!Uri.TryCreate(issuer.JwksUrl, UriKind.Absolute, out var jwks) || (jwks.Scheme != Uri.UriSchemeHttps && jwks.Scheme != Uri.UriSchemeHttp))
                failures.Add($"{at}:JwksUrl must be an absolute https URL");
            if (string.IsNullOrWhiteSpace(issuer.OrganizationId)) failures.Add($"{at}:OrganizationId is required");
            if (options.Issuers.Take(i).Any(before => before.Issuer == issuer.Issuer)) failures.Add($"{at}:Issuer '{issuer.Issuer}' is configured twice");
        }
        if (options.Audience is { Length: > 0 } audience
            && (!Uri.TryCreate(audience, UriKind.Absolute, out var based) || based.Query.Length > 0 || based.Fragment.Length > 0))
            failures.Add($"{CdsHooksOptions.Section}:Audience must be the service's absolute base URL (https://payer.example)");
        // In production the Host header is the caller's to choose: the audience is not taken from it.
        if (options.Issuers.Count > 0 && string.IsNullOrEmpty(options.Audience) && environment.IsProduction())
            failures.Add($"{CdsHooksOptions.Section}:Audience is required in production when issuers are configured");
        if (options.FhirServerSeconds is <= 0 or > 60) failures.Add($"{CdsHooksOptions.Section}:FhirServerSeconds must be more than 0 and at most 60");
        if (options.MaxFhirServerResponseBytes <= 0) failures.Add($"{CdsHooksOptions.Section}:MaxFhirServerResponseBytes must be positive");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
