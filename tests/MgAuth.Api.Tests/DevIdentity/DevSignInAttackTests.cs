using MgAuth.Api.Tests.Smart;
using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests.DevIdentity;

/// <summary>Attempts to get a code or a token from the embedded provider some way the console does not.</summary>
public sealed class DevSignInAttackTests(DevelopmentFactory factory) : IClassFixture<DevelopmentFactory>
{
    [Theory]
    [InlineData("https://evil.example/signin-oidc")]
    [InlineData("http://localhost/signin-oidc/../steal")]
    [InlineData("http://localhost/signin-oidc?next=https://evil.example")]
    [InlineData("http://localhost:8080/signin-oidc")]
    public async Task A_wrong_redirect_uri_is_refused_here_and_never_redirected_to(string redirectUri)
    {
        var signIn = new DevSignIn(factory);
        using var response = await signIn.AuthorizeAsync(signIn.AuthorizationRequest(redirectUri: redirectUri));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.DoesNotContain("name=\"person\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_client_cannot_use_the_authorization_endpoint()
    {
        var system = SmartSystem.Rs384().RegisterWith(factory, TestKeys.OrgA);
        var signIn = new DevSignIn(factory);
        using var response = await signIn.AuthorizeAsync(signIn.AuthorizationRequest(clientId: system.ClientId));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task An_authorization_request_without_PKCE_or_with_the_plain_method_gets_no_login_page()
    {
        var signIn = new DevSignIn(factory);
        using var none = await signIn.AuthorizeAsync(signIn.AuthorizationRequest(pkce: false));
        var plain = signIn.AuthorizationRequest();
        plain["code_challenge"] = signIn.Verifier;
        plain["code_challenge_method"] = "plain";
        using var plainResponse = await signIn.AuthorizeAsync(plain);

        foreach (var response in new[] { none, plainResponse })
        {
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("name=\"person\"", await response.Content.ReadAsStringAsync());
            if (response.Headers.Location is { } location) Assert.Contains("error=invalid_request", location.Query);
        }
    }

    [Fact]
    public async Task A_code_redeemed_twice_is_refused_the_second_time()
    {
        var signIn = new DevSignIn(factory);
        var code = await signIn.CodeAsync();
        using (var first = await signIn.RedeemAsync(code)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await signIn.RedeemAsync(code);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (string)JsonNode.Parse(await second.Content.ReadAsStringAsync())!["error"]!);
    }

    [Fact]
    public async Task A_refresh_token_used_twice_is_refused_the_second_time()
    {
        var signIn = new DevSignIn(factory);
        var refresh = (string)(await signIn.TokensAsync())["refresh_token"]!;
        using (var first = await signIn.RefreshAsync(refresh)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await signIn.RefreshAsync(refresh);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (string)JsonNode.Parse(await second.Content.ReadAsStringAsync())!["error"]!);
    }

    [Fact]
    public async Task A_code_for_the_console_is_useless_to_another_client_and_the_console_keeps_it()
    {
        var system = SmartSystem.Rs384().RegisterWith(factory, TestKeys.OrgA);
        var signIn = new DevSignIn(factory);
        var code = await signIn.CodeAsync();

        using var stolen = await signIn.RedeemAsync(code, clientId: system.ClientId);
        using var unknown = await signIn.RedeemAsync(code, clientId: "some-other-app");

        foreach (var response in new[] { stolen, unknown })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("invalid_client", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!);
        }
        // Refused before redemption: the console can still redeem its code.
        using var own = await signIn.RedeemAsync(code);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task A_code_needs_its_own_verifier_and_redirect_uri()
    {
        var signIn = new DevSignIn(factory);
        var code = await signIn.CodeAsync();

        using var wrongVerifier = await signIn.RedeemAsync(code, verifier: new DevSignIn(factory).Verifier);
        using var otherRedirect = await signIn.RedeemAsync(code, redirectUri: "https://evil.example/signin-oidc");

        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier.StatusCode);
        Assert.Equal("invalid_grant", (string)JsonNode.Parse(await wrongVerifier.Content.ReadAsStringAsync())!["error"]!);
        Assert.Equal(HttpStatusCode.BadRequest, otherRedirect.StatusCode);
    }

    [Fact]
    public async Task The_choice_posted_without_the_antiforgery_token_signs_nobody_in()
    {
        var signIn = new DevSignIn(factory);
        var (_, fields) = await signIn.LoginPageAsync();
        var field = fields.Keys.Single(k => k.StartsWith("__RequestVerificationToken", StringComparison.Ordinal));
        fields.Remove(field);

        using var withoutToken = await signIn.ChooseAsync(fields, "demo-admin");
        // A page on another site posts the same form: the browser sends the cookie but cannot read the page's token.
        using var forged = await signIn.ChooseAsync(new Dictionary<string, string>(fields) { [field] = "forged" }, "demo-admin");

        foreach (var response in new[] { withoutToken, forged })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.NotNull(problem["errors"]![field]);
        }
    }

    [Fact]
    public async Task A_person_not_on_the_page_is_refused_naming_the_field()
    {
        var signIn = new DevSignIn(factory);
        var (_, fields) = await signIn.LoginPageAsync();

        using var response = await signIn.ChooseAsync(fields, "root");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["person"]);
    }

    [Fact]
    public async Task An_id_token_or_a_tampered_access_token_is_not_an_access_token()
    {
        var tokens = await new DevSignIn(factory).TokensAsync("demo-admin");
        var access = (string)tokens["access_token"]!;
        var parts = access.Split('.');
        var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]).Replace("\"admin\"", "\"policy_approver\"");
        var tampered = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        foreach (var bearer in new[] { (string)tokens["id_token"]!, tampered })
        {
            using var response = await factory.ClientWithSecret(bearer).GetAsync("/v1/rulepacks");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Markup_in_the_request_is_said_as_text_on_the_login_page()
    {
        var signIn = new DevSignIn(factory);
        var request = signIn.AuthorizationRequest();
        request["state"] = "\"><script>alert(1)</script>";

        var (html, fields) = await signIn.LoginPageAsync(request);

        Assert.DoesNotContain("<script", html);
        Assert.Equal("\"><script>alert(1)</script>", fields["state"]);
    }

    [Fact]
    public async Task Prompt_none_is_answered_login_required_at_the_console_without_a_code()
    {
        var signIn = new DevSignIn(factory);
        var request = signIn.AuthorizationRequest();
        request["prompt"] = "none";

        using var response = await signIn.AuthorizeAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.StartsWith(DevelopmentFactory.RedirectUri, response.Headers.Location.AbsoluteUri);
        Assert.Equal("login_required", query["error"].ToString());
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Signing_out_returns_nowhere_but_the_console()
    {
        using var response = await new DevSignIn(factory).Browser.GetAsync(
            $"/auth/logout?post_logout_redirect_uri={Uri.EscapeDataString("https://evil.example/")}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_SMART_clients_token_is_still_a_systems_held_to_its_scopes()
    {
        var system = SmartSystem.Rs384().RegisterWith(factory, TestKeys.OrgA, null, MgAuth.Cases.Smart.SmartScopes.ClaimRead);
        var token = await system.TokenAsync(factory, MgAuth.Cases.Smart.SmartScopes.ClaimRead);

        using var queue = await factory.ClientWithSecret(token).GetAsync("/v1/review-queue");
        using var userinfo = await factory.ClientWithSecret(token).GetAsync("/auth/userinfo");

        Assert.Equal(HttpStatusCode.Forbidden, queue.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, userinfo.StatusCode);
    }
}
