using MgAuth.Api.DevIdentity;
using MgAuth.Api.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MgAuth.Api.Tests.DevIdentity;

/// <summary>
/// A fresh clone in Development: the embedded provider signs staff in with the authorization code flow and PKCE, and its
/// access token works the API as the person who chose their name.
/// </summary>
public sealed class DevSignInTests(DevelopmentFactory factory) : IClassFixture<DevelopmentFactory>
{
    [Fact]
    public async Task A_clinician_signs_in_and_their_access_token_works_the_review_queue_and_records_them()
    {
        var tokens = await new DevSignIn(factory).TokensAsync("demo-clinician");
        Assert.Equal("Bearer", (string)tokens["token_type"]!, ignoreCase: true);
        Assert.InRange((int)tokens["expires_in"]!, 290, 300);
        Assert.NotNull(tokens["refresh_token"]);

        var access = new JsonWebToken((string)tokens["access_token"]!);
        var id = new JsonWebToken((string)tokens["id_token"]!);
        foreach (var token in new[] { access, id })
        {
            Assert.Equal(DevelopmentFactory.Issuer, token.Issuer);
            Assert.Equal("demo-clinician", token.Subject);
            Assert.Equal("Dr. Sam Okafor", token.GetClaim("name").Value);
            Assert.Equal("clinician", token.GetClaim("roles").Value);
            Assert.Equal("plan", token.GetClaim("org").Value);
            Assert.Equal("1003000126", token.GetClaim("npi").Value);
            Assert.False(token.TryGetClaim("mgauth:grant", out _), "a grant id stays inside codes and refresh tokens");
        }
        Assert.Equal(["mgauth"], access.Audiences);
        Assert.Equal(["mgauth-console"], id.Audiences);
        Assert.Equal(TimeSpan.FromMinutes(5), access.ValidTo - access.IssuedAt);
        Assert.Equal("nonce-1", id.GetClaim("nonce").Value);

        var pended = await factory.PendedDenyAsync();
        var clinician = factory.ClientWithSecret((string)tokens["access_token"]!);
        Assert.NotNull(await clinician.QueueItemAsync(pended.Id()));
        using (var claim = await clinician.ClaimAsync(pended.Id())) Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        var decided = await clinician.DetermineOkAsync(pended.Id(), ReviewCalls.Deny());

        Assert.Equal("denied", (string)decided["status"]!);
        var events = await factory.Reviewer.EventsAsync(pended.Id());
        var determined = events.Last()!;
        Assert.Equal("demo-clinician", (string)determined["actor"]!);
        Assert.Equal("clinician", (string)determined["actorRole"]!);
    }

    [Fact]
    public async Task The_login_page_lists_every_demo_person_says_it_is_for_development_and_passes_a_strict_CSP()
    {
        var signIn = new DevSignIn(factory);
        using var response = await signIn.AuthorizeAsync(signIn.AuthorizationRequest());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Development only", html);
        foreach (var name in new[] { "Riley Moss", "Dr. Sam Okafor", "Dana Reyes", "Jordan Lee", "Chris Novak" }) Assert.Contains(name, html);
        foreach (var role in new[] { "reviewer", "clinician", "policy author", "policy approver", "admin" }) Assert.Contains(role, html);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("style=", html);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Theory]
    [InlineData("demo-reviewer", "reviewer")]
    [InlineData("demo-author", "policy_author")]
    [InlineData("demo-approver", "policy_approver")]
    [InlineData("demo-admin", "admin")]
    public async Task Each_staff_person_signs_in_with_their_own_role(string person, string role)
    {
        var tokens = await new DevSignIn(factory).TokensAsync(person);
        var access = new JsonWebToken((string)tokens["access_token"]!);
        Assert.Equal(person, access.Subject);
        Assert.Equal(role, access.GetClaim("roles").Value);
        Assert.Equal("plan", access.GetClaim("org").Value);

        // The token is the person's, not a system's: their role's endpoints answer (no SMART scope asked of them).
        using var response = await factory.ClientWithSecret((string)tokens["access_token"]!).GetAsync(
            role == "reviewer" ? "/v1/review-queue" : "/v1/rulepacks");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_gets_fresh_tokens_for_the_same_person()
    {
        var signIn = new DevSignIn(factory);
        var tokens = await signIn.TokensAsync("demo-reviewer");

        using var response = await signIn.RefreshAsync((string)tokens["refresh_token"]!);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var refreshed = JsonNode.Parse(text)!;
        Assert.Equal("demo-reviewer", new JsonWebToken((string)refreshed["access_token"]!).Subject);
        Assert.NotEqual((string)tokens["refresh_token"]!, (string)refreshed["refresh_token"]!);
    }

    [Fact]
    public async Task Userinfo_names_the_person_and_signing_out_returns_to_the_console()
    {
        var signIn = new DevSignIn(factory);
        var tokens = await signIn.TokensAsync("demo-clinician");

        var userinfo = await factory.ClientWithSecret((string)tokens["access_token"]!).GetOkAsync("/auth/userinfo");
        Assert.Equal("demo-clinician", (string)userinfo["sub"]!);
        Assert.Equal("Dr. Sam Okafor", (string)userinfo["name"]!);
        Assert.Equal("clinician", (string)userinfo["roles"]!);
        Assert.Equal("plan", (string)userinfo["org"]!);
        Assert.Equal("1003000126", (string)userinfo["npi"]!);

        using var signOut = await signIn.Browser.GetAsync(
            $"/auth/logout?id_token_hint={tokens["id_token"]}&post_logout_redirect_uri={Uri.EscapeDataString(DevelopmentFactory.Issuer)}&state=bye");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(DevelopmentFactory.Issuer + "?state=bye", signOut.Headers.Location!.AbsoluteUri);

        // The OpenID Connect handler's own callback, which goes on to the console, is the other place allowed.
        using var viaCallback = await signIn.Browser.GetAsync(
            $"/auth/logout?post_logout_redirect_uri={Uri.EscapeDataString(DevelopmentFactory.Issuer + "signout-callback-oidc")}");
        Assert.Equal(HttpStatusCode.Redirect, viaCallback.StatusCode);
        Assert.Equal(DevelopmentFactory.Issuer + "signout-callback-oidc", viaCallback.Headers.Location!.AbsoluteUri);
    }

    [Fact]
    public async Task The_discovery_document_names_the_code_flow_with_S256_and_the_console_can_find_every_endpoint()
    {
        var document = await factory.Anonymous().GetOkAsync("/.well-known/openid-configuration");
        Assert.Equal(DevelopmentFactory.Issuer, (string)document["issuer"]!);
        Assert.Equal(DevelopmentFactory.Issuer + "auth/authorize", (string)document["authorization_endpoint"]!);
        Assert.Equal(DevelopmentFactory.Issuer + "auth/token", (string)document["token_endpoint"]!);
        Assert.Equal(DevelopmentFactory.Issuer + "auth/userinfo", (string)document["userinfo_endpoint"]!);
        Assert.Equal(DevelopmentFactory.Issuer + "auth/logout", (string)document["end_session_endpoint"]!);
        Assert.Equal(["code"], document["response_types_supported"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(["S256"], document["code_challenge_methods_supported"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public void The_staff_authority_everyone_reads_is_the_embedded_issuer_with_the_console_as_client()
    {
        var configuration = factory.Services.GetRequiredService<IConfiguration>();
        var staff = factory.Services.GetRequiredService<StaffAuthority>();

        Assert.True(staff.Embedded);
        Assert.Equal(DevelopmentFactory.Issuer, staff.Issuer!.AbsoluteUri);
        Assert.Equal(DevelopmentFactory.Issuer, configuration["Staff:Authority"]);
        Assert.Equal("mgauth-console", configuration["Staff:ClientId"]);
        Assert.Equal(DevelopmentFactory.Issuer, configuration["Smart:Issuer"]);
    }

    [Fact]
    public void The_demo_people_are_written_once_to_the_people_file()
    {
        _ = factory.Services;
        var lines = File.ReadAllLines(factory.PeopleFile);
        Assert.StartsWith("# MgAuth demo people (Development only)", lines[0]);
        Assert.Equal(5, lines.Length - 1);
        Assert.Contains(lines, l => l.StartsWith("clinician") && l.Contains("demo-clinician") && l.Contains("Dr. Sam Okafor"));
    }
}
