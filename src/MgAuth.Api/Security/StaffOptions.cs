using Microsoft.Extensions.Options;

namespace MgAuth.Api.Security;

/// <summary>
/// The <c>Staff</c> section: the plan's identity provider, through which staff sign in to the console (OpenID Connect,
/// code + PKCE) and whose access tokens the API accepts beside API keys. Without an authority, staff sign-in is off.
/// </summary>
public sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>The identity provider's issuer URL (its metadata is at <c>/.well-known/openid-configuration</c>).</summary>
    public string? Authority { get; set; }

    /// <summary>The console's client at the identity provider (confidential: code + PKCE + secret).</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The <c>aud</c> the API's access tokens carry.</summary>
    public string Audience { get; set; } = "mgauth";

    /// <summary>The scopes the console asks for (offline_access: a refresh token, so the session ends when the provider says so).</summary>
    public string Scopes { get; set; } = "openid profile offline_access";

    /// <summary>Staff's organization when their token names none (providers must carry theirs).</summary>
    public string Organization { get; set; } = "plan";

    /// <summary>The longest a console session lasts whatever the provider says, in hours.</summary>
    public double SessionHours { get; set; } = 10;

    /// <summary>The claim names the identity provider uses.</summary>
    public StaffClaimNames Claims { get; set; } = new();
}

/// <summary><c>Staff:Claims:*</c>: where MgAuth finds the role(s), organization, NPI and display name in the provider's tokens.</summary>
public sealed class StaffClaimNames
{
    /// <summary>A JSON array or a space-separated string; exactly one MgAuth role must be among its values.</summary>
    public string Roles { get; set; } = "roles";

    public string Organization { get; set; } = "org";

    public string Npi { get; set; } = "npi";

    public string Name { get; set; } = "name";
}

/// <summary>
/// Checked at start: an authority is an absolute https URL (http only on loopback) and comes with the console's client
/// id, so a half-configured provider stops the service with why rather than failing every sign-in.
/// </summary>
public sealed class StaffOptionsCheck : IValidateOptions<StaffOptions>
{
    public ValidateOptionsResult Validate(string? name, StaffOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Authority)) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        var authority = options.Authority.Trim();
        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !StaffTokens.IsLoopbackHttp(authority)))
            failures.Add($"{StaffOptions.Section}:Authority must be the identity provider's https issuer URL (http only on loopback), not '{authority}'");
        if (string.IsNullOrWhiteSpace(options.ClientId))
            failures.Add($"{StaffOptions.Section}:ClientId is required with {StaffOptions.Section}:Authority: the console's client at the identity provider");
        if (string.IsNullOrWhiteSpace(options.Audience))
            failures.Add($"{StaffOptions.Section}:Audience must name the aud of the access tokens the API accepts");
        foreach (var (key, claim) in new[] { ("Roles", options.Claims.Roles), ("Organization", options.Claims.Organization), ("Npi", options.Claims.Npi), ("Name", options.Claims.Name) })
            if (string.IsNullOrWhiteSpace(claim)) failures.Add($"{StaffOptions.Section}:Claims:{key} must name a claim");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
