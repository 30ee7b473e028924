using System.Text.RegularExpressions;
using MgAuth.Api.Security;
using MgAuth.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MgAuth.Api.Tests;

/// <summary>
/// The console signs in through the identity provider (OpenID Connect, code + PKCE) and keeps the person's tokens in a
/// SameSite=Strict, HttpOnly session cookie. The attacker's tests: another site's form or image carries the cookie but
/// not the console's header, and acts as nobody; a person disabled at the provider loses the session at the next refresh.
/// </summary>
public sealed partial class ConsoleSessionTests : IAsyncLifetime
{
    private static readonly IdpPerson Reviewer = new("u-rev-1", "Riley Chen", ["reviewer"]);
    private readonly StaffFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    [Fact]
    public async Task Signing_in_through_the_provider_gives_a_session_the_console_acts_with_and_shows_by_name()
    {
        var session = await SignInAsync(Reviewer);
        var status = await GetJsonAsync(Console(HttpMethod.Get, "/session", session));
        Assert.True((bool)status["signedIn"]!);
        Assert.Equal("Riley Chen", (string)status["name"]!);
        Assert.Equal("reviewer", (string)status["role"]!);

        var queue = await GetJsonAsync(Console(HttpMethod.Get, "/v1/review-queue", session));
        Assert.Equal("Riley Chen", (string)queue["viewer"]!["name"]!);

        // The session cookie is HttpOnly and SameSite=Strict.
        Assert.Contains("samesite=strict", session.SetCookie.ToLowerInvariant());
        Assert.Contains("httponly", session.SetCookie.ToLowerInvariant());
    }

    [Fact]
    public async Task Another_sites_form_carrying_the_session_cookie_acts_as_nobody_and_stores_nothing()
    {
        var pended = await _factory.PendedReviewAsync();
        var session = await SignInAsync(Reviewer);
        var events = _factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id", ("@id", pended.Id()));

        // What a cross-site form post can send: the cookie (were the browser to send it), a simple content type, no custom header.
        var forged = new HttpRequestMessage(HttpMethod.Post, $"/v1/authorizations/{pended.Id()}/claim")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }),
        };
        forged.Headers.Add("Cookie", session.Cookie);
        forged.Headers.Add("Origin", "https://attacker.test");
        using (var response = await Client().SendAsync(forged))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // An image or a link: a GET with the cookie and no header reads nothing either (and records no "viewed").
        var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/authorizations/{pended.Id()}/history");
        read.Headers.Add("Cookie", session.Cookie);
        using (var response = await Client().SendAsync(read))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The header without the cookie is nobody too.
        var headerOnly = new HttpRequestMessage(HttpMethod.Post, $"/v1/authorizations/{pended.Id()}/claim");
        headerOnly.Headers.Add(StaffSignIn.ConsoleHeader, StaffSignIn.ConsoleHeaderValue);
        using (var response = await Client().SendAsync(headerOnly))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(events, _factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id", ("@id", pended.Id())));

        // The console's own call claims it.
        using (var claimed = await Client().SendAsync(Console(HttpMethod.Post, $"/v1/authorizations/{pended.Id()}/claim", session)))
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal(1, _factory.ScalarLong("SELECT COUNT(*) FROM claims WHERE authorization_id = @id AND claimed_name = 'Riley Chen'",
            ("@id", pended.Id())));
    }

    [Fact]
    public async Task The_session_is_refreshed_with_the_provider_and_ends_when_the_person_is_disabled_there()
    {
        _factory.Idp.AccessTokenSeconds = 10; // within the 30 s margin: every request refreshes
        var session = await SignInAsync(Reviewer);
        using (var first = await Client().SendAsync(Console(HttpMethod.Get, "/v1/review-queue", session)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            session = session.After(first); // the renewed cookie carries the new tokens
        }
        Assert.True(_factory.Idp.Refreshes >= 1);

        _factory.Idp.Disable(Reviewer.Subject);
        using var refused = await Client().SendAsync(Console(HttpMethod.Get, "/v1/review-queue", session));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // The cookie is cleared.
        Assert.Contains(refused.Headers.GetValues("Set-Cookie"), c => c.StartsWith(StaffSignIn.CookieName + "=;", StringComparison.Ordinal));
        Assert.False((bool)(await GetJsonAsync(Console(HttpMethod.Get, "/session", session)))["signedIn"]!);
    }

    [Fact]
    public async Task A_role_changed_at_the_provider_applies_at_the_next_refresh_and_a_role_taken_away_ends_the_session()
    {
        _factory.Idp.AccessTokenSeconds = 10; // within the 30 s margin: every request refreshes
        var session = await SignInAsync(Reviewer);
        using (var first = await Client().SendAsync(Console(HttpMethod.Get, "/v1/review-queue", session)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            session = session.After(first);
        }

        _factory.Idp.ChangeRoles(Reviewer.Subject, "policy_author", "offline_access");
        using (var moved = await Client().SendAsync(Console(HttpMethod.Get, "/v1/review-queue", session)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, moved.StatusCode);
            session = session.After(moved);
        }
        using (var status = await Client().SendAsync(Console(HttpMethod.Get, "/session", session)))
        {
            Assert.Equal("policy_author", (string)(await status.JsonAsync())["role"]!);
            session = session.After(status);
        }

        _factory.Idp.ChangeRoles(Reviewer.Subject, "offline_access");
        using var refused = await Client().SendAsync(Console(HttpMethod.Get, "/v1/review-queue", session));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(refused.Headers.GetValues("Set-Cookie"), c => c.StartsWith(StaffSignIn.CookieName + "=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_here_and_sends_the_console_to_the_providers_end_session()
    {
        var session = await SignInAsync(Reviewer);
        // Not from another site (no console header): refused, the session stays.
        var forged = new HttpRequestMessage(HttpMethod.Post, "/signout");
        forged.Headers.Add("Cookie", session.Cookie);
        using (var response = await Client().SendAsync(forged))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        using var signedOut = await Client().SendAsync(Console(HttpMethod.Post, "/signout", session));
        var answer = (await signedOut.JsonAsync()).AsObject();
        var redirect = (string)answer["redirect"]!;
        Assert.StartsWith(FakeIdentityProvider.Issuer + "/logout?id_token_hint=", redirect);
        Assert.Contains("post_logout_redirect_uri=", redirect);
        Assert.Contains(signedOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith(StaffSignIn.CookieName + "=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_person_without_an_MgAuth_role_is_not_signed_in_and_the_console_is_told_why()
    {
        var (location, _) = await CompleteCodeFlowAsync(Reviewer with { Roles = ["offline_access"] });
        Assert.True(location.StartsWith("/?signin-refused=", StringComparison.Ordinal), location);
        Assert.Contains("no%20MgAuth%20role", location);
    }

    [Fact]
    public async Task With_staff_sign_in_off_signin_says_so_and_the_session_endpoint_says_keys()
    {
        await using var off = new MgAuthFactory();
        using var signin = await off.Anonymous().GetAsync("/signin");
        Assert.Equal("Staff sign-in is off", (string)(await signin.AssertProblemAsync(HttpStatusCode.NotFound))["title"]!);
        Assert.False((bool)(await off.Anonymous().GetOkAsync("/session"))["staffSignIn"]!);
    }

    // ---- the code flow, as the browser and the provider's login page run it -------------------------------------------

    private sealed record Session(string Cookie, string SetCookie)
    {
        /// <summary>The session as a response renewed it (a refresh re-issues the cookie).</summary>
        public Session After(HttpResponseMessage response) =>
            response.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith(StaffSignIn.CookieName, StringComparison.Ordinal))
                ? new Session(CookiesOf(set), string.Join("\n", set)) : this;
    }

    private HttpClient Client() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static HttpRequestMessage Console(HttpMethod method, string path, Session session)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", session.Cookie);
        request.Headers.Add(StaffSignIn.ConsoleHeader, StaffSignIn.ConsoleHeaderValue);
        return request;
    }

    private async Task<JsonObject> GetJsonAsync(HttpRequestMessage request)
    {
        using var response = await Client().SendAsync(request);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        return json.AsObject();
    }

    private async Task<Session> SignInAsync(IdpPerson person)
    {
        var (location, response) = await CompleteCodeFlowAsync(person);
        Assert.Equal("/#/queue", location);
        var set = response.Headers.GetValues("Set-Cookie").ToArray();
        return new Session(CookiesOf(set.Where(c => c.StartsWith(StaffSignIn.CookieName, StringComparison.Ordinal))), string.Join("\n", set));
    }

    /// <summary>/signin, the provider's login (a code for the person, bound to the nonce and PKCE challenge), the form post back.</summary>
    private async Task<(string Location, HttpResponseMessage Response)> CompleteCodeFlowAsync(IdpPerson person)
    {
        using var challenge = await Client().GetAsync("/signin");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(FakeIdentityProvider.Issuer + "/authorize", authorize.ToString());
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("S256", (string?)query["code_challenge_method"]);
        Assert.Equal("code", (string?)query["response_type"]);
        var code = _factory.Idp.IssueCode(person, query["nonce"]!, query["code_challenge"]!);

        var callback = new HttpRequestMessage(HttpMethod.Post, "/signin-oidc")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = code, ["state"] = query["state"]! }),
        };
        callback.Headers.Add("Cookie", CookiesOf(challenge.Headers.GetValues("Set-Cookie")));
        var response = await Client().SendAsync(callback);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (response.Headers.Location!.ToString(), response);
    }

    private static string CookiesOf(IEnumerable<string> setCookie) =>
        string.Join("; ", setCookie.Select(c => c.Split(';')[0]).Where(c => !c.EndsWith('=')));
}
