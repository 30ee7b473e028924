namespace MgAuth.Api.Security;

/// <summary>
/// Which scheme authenticates a request, by what it carries: a JSON Web Token sent to a CDS service is an EHR's signed
/// call; another one issued by the identity provider is its access token (when staff sign-in is on), any other JWT the SMART
/// token server's; any other bearer an API key; no bearer, the console's session cookie with the
/// console's header (<see cref="StaffSignIn.IsConsoleCall"/>). Downstream nobody knows which: each scheme produces MgAuth's
/// claims.
/// </summary>
public static class CallerSchemes
{
    public const string Default = "MgAuth";

    public static string Select(HttpContext context)
    {
        if (Crd.SignedHookAuthenticationHandler.SchemeFor(context) is { } signedHook) return signedHook;
        if (ApiKeyAuthenticationHandler.SecretOf(context.Request) is { } bearer)
        {
            if (StaffSignInIsOn(context) && StaffTokens.LooksLikeToken(bearer) && IssuedByStaffAuthority(context, bearer)) return StaffTokens.Scheme;
            return Smart.SmartTokenAuthenticationHandler.Carries(context.Request) ? Smart.SmartTokenAuthenticationHandler.SchemeName : ApiKeyAuthenticationHandler.SchemeName;
        }
        if (StaffSignInIsOn(context) && StaffSignIn.IsConsoleCall(context.Request)) return StaffSignIn.CookieScheme;
        return ApiKeyAuthenticationHandler.SchemeName;
    }

    /// <summary>Whether the request's bearer is an API key (what the failed-key limit counts), not an access token.</summary>
    public static bool CarriesApiKey(HttpContext context) =>
        ApiKeyAuthenticationHandler.SecretOf(context.Request) is { } bearer && !(StaffSignInIsOn(context) && StaffTokens.LooksLikeToken(bearer));

    // The identity provider's token names it as issuer; any other JWT is the SMART token server's (which checks it).
    private static bool IssuedByStaffAuthority(HttpContext context, string bearer)
    {
        var authority = context.RequestServices.GetRequiredService<IStaffAuthority>().Authority!;
        try
        {
            var issuer = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(bearer).Issuer;
            return string.Equals(issuer.TrimEnd('/'), authority.TrimEnd('/'), StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return true; // not readable: the identity provider's scheme answers 401 with why
        }
    }

    private static bool StaffSignInIsOn(HttpContext context) => context.RequestServices.GetRequiredService<IStaffAuthority>().Authority is not null;
}
