namespace MgAuth.Api.Security;

/// <summary>
/// Which scheme authenticates a request, by what it carries: a JSON Web Token sent to a CDS service is an EHR's signed
/// call; one issued by this service (Smart:Issuer) the SMART token server's access token; any other JWT the identity
/// provider's (when staff sign-in is on, else the SMART token server's, which refuses it); any other bearer an API key; no bearer, the console's session cookie with the
/// console's header (<see cref="StaffSignIn.IsConsoleCall"/>). Downstream nobody knows which: each scheme produces MgAuth's
/// claims.
/// </summary>
public static class CallerSchemes
{
    public const string Default = "MgAuth";
    private const string SelectedItem = "mgauth:caller-scheme";

    /// <summary>The scheme for this request, chosen once (the failed-key limit and the policy scheme both ask).</summary>
    public static string Select(HttpContext context) =>
        context.Items[SelectedItem] as string ?? (string)(context.Items[SelectedItem] = Choose(context));

    private static string Choose(HttpContext context)
    {
        if (Crd.SignedHookAuthenticationHandler.SchemeFor(context) is { } signedHook) return signedHook;
        if (ApiKeyAuthenticationHandler.SecretOf(context.Request) is { } bearer)
        {
            if (StaffSignInIsOn(context) && StaffTokens.LooksLikeToken(bearer) && StaffTokenFor(context, bearer)) return StaffTokens.Scheme;
            return Smart.SmartTokenAuthenticationHandler.Carries(context.Request) ? Smart.SmartTokenAuthenticationHandler.SchemeName : ApiKeyAuthenticationHandler.SchemeName;
        }
        if (StaffSignInIsOn(context) && StaffSignIn.IsConsoleCall(context.Request)) return StaffSignIn.CookieScheme;
        return ApiKeyAuthenticationHandler.SchemeName;
    }

    /// <summary>Whether the request's bearer is an API key (what the failed-key limit counts), not an access token.</summary>
    public static bool CarriesApiKey(HttpContext context) =>
        ApiKeyAuthenticationHandler.SecretOf(context.Request) is not null && Select(context) == ApiKeyAuthenticationHandler.SchemeName;

    // The identity provider's token names it as issuer, the SMART token server's names this service (Smart:Issuer, else the
    // request's base URL); a token of any other issuer goes to the identity provider's scheme, which answers 401 with why.
    private static bool StaffTokenFor(HttpContext context, string bearer)
    {
        string issuer;
        try
        {
            issuer = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(bearer).Issuer.TrimEnd('/');
        }
        catch (ArgumentException)
        {
            return true;
        }
        // This service's own tokens (SMART clients', and in Development the embedded provider's staff tokens) are read by
        // the SMART scheme, which knows both; so the own issuer is asked first, for when it is the staff authority too.
        var smart = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Smart.SmartOptions>>().Value.Issuer;
        var request = context.Request;
        var ownIssuer = (smart is { Length: > 0 } ? smart : $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');
        return !string.Equals(issuer, ownIssuer, StringComparison.Ordinal);
    }

    private static bool StaffSignInIsOn(HttpContext context) => context.RequestServices.GetRequiredService<IStaffAuthority>().Authority is not null;
}
