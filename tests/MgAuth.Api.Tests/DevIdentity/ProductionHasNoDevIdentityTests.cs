using MgAuth.Api.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Hosting;

namespace MgAuth.Api.Tests.DevIdentity;

/// <summary>Production without <c>Staff:Authority</c>: the embedded provider is neither configured nor served.</summary>
public sealed class ProductionHasNoDevIdentityTests(ProductionFactory factory) : IClassFixture<ProductionFactory>
{
    [Theory]
    [InlineData("GET", "/auth/authorize?client_id=mgauth-console&redirect_uri=http%3A%2F%2Flocalhost%2Fsignin-oidc&response_type=code&scope=openid&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")]
    [InlineData("POST", "/auth/authorize")]
    [InlineData("GET", "/auth/userinfo")]
    [InlineData("GET", "/auth/logout")]
    public async Task The_sign_in_page_and_the_provider_endpoints_are_not_found(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST") request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["person"] = "demo-admin", ["client_id"] = "mgauth-console" });
        using var response = await factory.Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_token_endpoint_knows_no_code_grant_and_discovery_names_no_authorization_endpoint()
    {
        using var token = await factory.Anonymous().PostAsync("/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = "anything",
            ["client_id"] = "mgauth-console",
            ["redirect_uri"] = "http://localhost/signin-oidc",
            ["code_verifier"] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Equal("unsupported_grant_type", (string)JsonNode.Parse(await token.Content.ReadAsStringAsync())!["error"]!);

        var document = await factory.Anonymous().GetOkAsync("/.well-known/openid-configuration");
        Assert.Null(document["authorization_endpoint"]);
        Assert.Null(document["end_session_endpoint"]);
    }

    [Fact]
    public async Task API_keys_still_work()
    {
        using var response = await factory.Reviewer.GetAsync("/v1/review-queue");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>Development with <c>Staff:Authority</c> configured: the plan's provider is the one, the embedded one is not served.</summary>
public sealed class ConfiguredAuthorityHasNoDevIdentityTests(DevelopmentWithAuthorityFactory factory) : IClassFixture<DevelopmentWithAuthorityFactory>
{
    [Fact]
    public async Task The_embedded_provider_is_off_and_the_configured_authority_is_left_as_it_is()
    {
        using var authorize = await factory.Anonymous().GetAsync(
            "/auth/authorize?client_id=mgauth-console&redirect_uri=http%3A%2F%2Flocalhost%2Fsignin-oidc&response_type=code&scope=openid&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");

        Assert.Equal(HttpStatusCode.NotFound, authorize.StatusCode);
        var staff = factory.Services.GetRequiredService<MgAuth.Api.DevIdentity.StaffAuthority>();
        Assert.False(staff.Embedded);
        Assert.Equal(DevelopmentWithAuthorityFactory.Authority, factory.Services.GetRequiredService<IConfiguration>()["Staff:Authority"]);
        Assert.Null(factory.Services.GetRequiredService<IConfiguration>()["Smart:Issuer"]);
    }
}

/// <summary>An identity provider configured by half: the service does not start, and says which settings are missing or wrong.</summary>
public sealed class HalfConfiguredAuthorityTests
{
    private sealed class HalfConfigured(params KeyValuePair<string, string?>[] settings) : MgAuthFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Overrides => settings;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Theory]
    [InlineData("https://idp.plan.example/", null, "Staff:ClientId is required")]
    [InlineData("http://idp.plan.example/", "mgauth-console", "Staff:Authority must be the identity provider's https issuer URL")]
    [InlineData("not a url", "mgauth-console", "Staff:Authority must be")]
    public async Task A_half_configured_identity_provider_stops_the_service_at_start_with_why(string authority, string? clientId, string expected)
    {
        await using var factory = new HalfConfigured(new("Staff:Authority", authority), new("Staff:ClientId", clientId));

        var failure = Assert.ThrowsAny<Exception>(() => factory.Services);

        var refused = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.NotNull(refused);
        Assert.Contains(expected, refused.Message);
    }
}
