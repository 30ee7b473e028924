using MgAuth.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace MgAuth.Api.Tests.DevIdentity;

/// <summary>
/// The service as a fresh clone starts it: Development, no <c>Staff:Authority</c>, so the embedded provider signs staff in.
/// Its issuer is the test server's address (as <c>--urls</c> would make it); the demo is seeded (no examples) so the
/// people file is written, to the test's folder.
/// </summary>
public sealed class DevelopmentFactory : MgAuthFactory
{
    public const string Issuer = "http://localhost/";
    public const string RedirectUri = "http://localhost/signin-oidc";

    public string PeopleFile => Path.Combine(Folder, "demo-people.txt");

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
    [
        new("urls", "http://localhost"),
        new("Demo:Seed", "true"),
        new("Demo:Examples", Directory.CreateDirectory(Path.Combine(Folder, "no-examples")).FullName),
        new("Demo:KeysFile", Path.Combine(Folder, "demo-keys.txt")),
        new("Demo:PeopleFile", PeopleFile),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}

/// <summary>Production with no <c>Staff:Authority</c>: no staff sign-in at all (keys and SMART clients only).</summary>
public sealed class ProductionFactory : MgAuthFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

/// <summary>Development pointed at the plan's own identity provider: the embedded one stays off.</summary>
public sealed class DevelopmentWithAuthorityFactory : MgAuthFactory
{
    public const string Authority = "https://idp.plan.example/";

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => [new("Staff:Authority", Authority), new("Staff:ClientId", "mgauth-console")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}
