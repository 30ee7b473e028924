namespace MgAuth.Api.Security;

/// <summary>
/// Which scheme authenticates a request, by what it carries: a bearer shaped as a JSON Web Token is the identity provider's
/// access token (when staff sign-in is on), any other bearer an API key; no bearer, the console's session cookie with the
/// console's header (<see cref="StaffSignIn.IsConsoleCall"/>). Downstream nobody knows which: each scheme produces MgAuth's
/// claims.
/// </summary>
public static class CallerSchemes
{
    public const string Default = "MgAuth";

    public static string Select(HttpContext context)
    {
        if (ApiKeyAuthenticationHandler.SecretOf(context.Request) is { } bearer)
            return StaffSignInIsOn(context) && StaffTokens.LooksLikeToken(bearer) ? StaffTokens.Scheme : ApiKeyAuthenticationHandler.SchemeName;
        if (StaffSignInIsOn(context) && StaffSignIn.IsConsoleCall(context.Request)) return StaffSignIn.CookieScheme;
        return ApiKeyAuthenticationHandler.SchemeName;
    }

    /// <summary>Whether the request's bearer is an API key (what the failed-key limit counts), not an access token.</summary>
    public static bool CarriesApiKey(HttpContext context) =>
        ApiKeyAuthenticationHandler.SecretOf(context.Request) is { } bearer && !(StaffSignInIsOn(context) && StaffTokens.LooksLikeToken(bearer));

    private static bool StaffSignInIsOn(HttpContext context) => context.RequestServices.GetRequiredService<IStaffAuthority>().Authority is not null;
}
