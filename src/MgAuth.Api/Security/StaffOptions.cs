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
