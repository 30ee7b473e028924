namespace MgAuth.Api.DevIdentity;

/// <summary>
/// The identity provider staff sign in through, resolved once at start. <c>Staff:Authority</c> when it is configured.
/// In Development without one, the embedded provider (this service's own OpenIddict server, <see cref="DevIdentityServer"/>):
/// its issuer is then written back as <c>Staff:Authority</c> (and <c>Smart:Issuer</c>, when unset), so whoever reads the
/// setting (the console's sign-in, the staff bearer) and the tokens' <c>iss</c> agree on one URL. Elsewhere without
/// one there is none: staff sign-in is off, API keys and SMART clients still work.
/// </summary>
public sealed record StaffAuthority(Uri? Issuer, bool Embedded)
{
    public const string AuthorityKey = "Staff:Authority";

    /// <summary>Kestrel's address when nothing names one.</summary>
    private const string DefaultUrl = "http://localhost:5000/";

    public static StaffAuthority Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        // Not a URL: none here, and the Staff options check stops the service saying why.
        if (configuration[AuthorityKey] is { Length: > 0 } configured)
            return new(Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var issuer) ? issuer : null, false);
        if (!environment.IsDevelopment()) return new(null, false);
        var own = configuration[$"{Smart.SmartOptions.Section}:{nameof(Smart.SmartOptions.Issuer)}"] is { Length: > 0 } smart ? smart
            : OwnUrl(configuration["urls"]);
        return new(new Uri(own.TrimEnd('/') + "/"), true);
    }

    /// <summary>The first address the service listens on (<c>--urls</c>, <c>ASPNETCORE_URLS</c>), a wildcard host said as localhost.</summary>
    private static string OwnUrl(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null) return DefaultUrl;
        foreach (var wildcard in (string[])["://+", "://*", "://0.0.0.0", "://[::]"])
            first = first.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        return first;
    }

    /// <summary>The console's callback at the embedded provider: the only redirect URI it accepts.</summary>
    public string ConsoleRedirectUri => new Uri(Issuer!, "signin-oidc").AbsoluteUri;

    /// <summary>
    /// Where the embedded provider may send a browser after signing out: the console (the service's root), or the OpenID
    /// Connect handler's signed-out callback, which goes on to it.
    /// </summary>
    public IReadOnlyList<string> ConsolePostLogoutUris => [Issuer!.AbsoluteUri, new Uri(Issuer!, "signout-callback-oidc").AbsoluteUri];
}

public static class StaffAuthoritySetup
{
    /// <summary>
    /// Resolves the staff authority (before anything reads <c>Staff:*</c> or <c>Smart:*</c>), registers it as a singleton,
    /// and in the embedded case adds <c>Staff:Authority</c> (and <c>Smart:Issuer</c> if unset) to the configuration.
    /// </summary>
    public static StaffAuthority AddStaffAuthority(this WebApplicationBuilder builder)
    {
        var staff = StaffAuthority.Resolve(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(staff);
        if (staff.Embedded)
        {
            var smartIssuer = $"{Smart.SmartOptions.Section}:{nameof(Smart.SmartOptions.Issuer)}";
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [StaffAuthority.AuthorityKey] = staff.Issuer!.AbsoluteUri,
                ["Staff:ClientId"] = builder.Configuration["Staff:ClientId"] is { Length: > 0 } id ? id : ConsoleClient.Id,
                [smartIssuer] = builder.Configuration[smartIssuer] is { Length: > 0 } set ? set : staff.Issuer.AbsoluteUri,
            });
        }
        return staff;
    }
}
