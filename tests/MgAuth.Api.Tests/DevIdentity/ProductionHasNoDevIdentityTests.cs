using MgAuth.Api.Tests.Support;

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
