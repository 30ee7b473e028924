using MgAuth.Api.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
