using System.Security.Claims;
using System.Text.Encodings.Web;
using MgAuth.Api.Infrastructure;
using MgAuth.Cases;
using MgAuth.Cases.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Security;

/// <summary>
/// <c>Authorization: Bearer mga_…</c>. The key is first checked against the keys held in memory (<see cref="KnownKeys"/>):
/// an unknown id or a wrong secret fails without the database. A key that matches (or one without an id that is not
/// held, while its address has budget) is read through <see cref="ApiKeyCache"/>, which remembers good keys briefly and
/// failures never. How often a client may fail is <see cref="FailedAuthenticationLimit"/>'s concern.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys, KnownKeys known)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailedItem = "mgauth:key-failed";
    private const string CheckItem = "mgauth:key-check";
    private const string RefusalItem = "mgauth:key-refusal";

    /// <summary>The answer to a request that carries no credential, or one that was not accepted.</summary>
    public static readonly Refusal SignInRequired = new(RefusalKind.Unauthenticated, "Sign-in is required",
        "Send Authorization: Bearer <an MgAuth API key, or an access token from the plan's identity provider or this service's token endpoint>.");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SecretOf(Request) is not { } secret) return AuthenticateResult.NoResult();
        var check = await CheckAsync(Context, known, addressHasBudget: true);
        var key = check.Standing is KeyStanding.Known or KeyStanding.Unlisted ? await keys.FindAsync(secret) : null;
        if (key is null)
        {
            // Held but not found: revoked by another process since it was learnt.
            if (check.Standing == KeyStanding.Known) known.Forget(check.KeyId!);
            Context.Items[FailedItem] = true;
            return AuthenticateResult.Fail("unknown or revoked API key");
        }
        if (check.Standing == KeyStanding.Unlisted) known.Learn(key.Id, check.Hash);
        if (key.PersonId is null && PersonIds.Required(key.Role))
        {
            // A staff key issued before keys named their person: whatever it did would be recorded as done by a key.
            Context.Items[RefusalItem] = new Refusal(RefusalKind.Unauthenticated, "This key names no person",
                $"A {key.Role} key must name the person it is for: the records name the person who acted. Sign in through the plan's identity provider, or have an administrator issue a new key with mgauth keys create --person.");
            return AuthenticateResult.Fail("a staff key that names no person");
        }

        var person = key.Person;
        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, key.Id),
            new(ClaimTypes.Role, key.Role),
            new(Caller.OrganizationClaim, key.OrganizationId),
            .. key.Npi is null ? Array.Empty<Claim>() : [new Claim(Caller.NpiClaim, key.Npi)],
            new(Caller.PersonIssuerClaim, person.Issuer),
            new(Caller.PersonSubjectClaim, person.Subject),
            new(Caller.PersonNameClaim, person.Name),
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    /// <summary>
    /// 401 with the reason this key was refused; otherwise the status alone, which the status-code pages answer with what
    /// to send (in CDS Hooks' terms on a CDS service).
    /// </summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        if (Context.Items[RefusalItem] is Refusal refusal) await Problems.For(refusal).ExecuteAsync(Context);
    }

    /// <summary>The secret of a <c>Bearer</c> Authorization header; null when there is none.</summary>
    public static string? SecretOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var secret = header["Bearer ".Length..].Trim();
        return secret.Length == 0 ? null : secret;
    }

    /// <summary>How this request's key stands against the keys held in memory: worked out once per request.</summary>
    public static async Task<KeyCheck> CheckAsync(HttpContext context, KnownKeys known, bool addressHasBudget)
    {
        if (context.Items[CheckItem] is KeyCheck done) return done;
        var check = await known.FindAsync(SecretOf(context.Request) ?? throw new InvalidOperationException("the request has no key"), addressHasBudget);
        context.Items[CheckItem] = check;
        return check;
    }

    /// <summary>How this request's key stood, if it was checked.</summary>
    public static KeyCheck? CheckOf(HttpContext context) => context.Items[CheckItem] as KeyCheck;

    /// <summary>Whether this request's key was looked up and not found (or revoked).</summary>
    public static bool KeyFailed(HttpContext context) => context.Items.ContainsKey(FailedItem);
}
