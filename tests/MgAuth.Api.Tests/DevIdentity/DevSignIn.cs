using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MgAuth.Api.DevIdentity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace MgAuth.Api.Tests.DevIdentity;

/// <summary>
/// A browser and the console's sign-in, as the OpenID Connect client would drive them: an authorization request with a
/// PKCE challenge, the login page, the choice posted back with its antiforgery token, the code, and its redemption.
/// Each part is its own step so an attack can change one.
/// </summary>
public sealed partial class DevSignIn(DevelopmentFactory factory)
{
    /// <summary>The browser: keeps cookies (the antiforgery one), follows no redirect.</summary>
    public HttpClient Browser { get; } = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public string Verifier { get; } = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public string Challenge => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public Dictionary<string, string?> AuthorizationRequest(string clientId = ConsoleClient.Id, string redirectUri = DevelopmentFactory.RedirectUri,
        bool pkce = true, string scope = "openid profile offline_access") => new()
    {
        ["client_id"] = clientId,
        ["redirect_uri"] = redirectUri,
        ["response_type"] = "code",
        ["scope"] = scope,
        ["state"] = "state-1",
        ["nonce"] = "nonce-1",
        ["code_challenge"] = pkce ? Challenge : null,
        ["code_challenge_method"] = pkce ? "S256" : null,
    };

    public Task<HttpResponseMessage> AuthorizeAsync(Dictionary<string, string?> request) =>
        Browser.GetAsync(QueryHelpers.AddQueryString("/auth/authorize", request.Where(p => p.Value is not null)));

    /// <summary>The login page for a good request, insisting on 200; returns its form's fields.</summary>
    public async Task<(string Html, Dictionary<string, string> Fields)> LoginPageAsync(Dictionary<string, string?>? request = null)
    {
        using var response = await AuthorizeAsync(request ?? AuthorizationRequest());
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"login page: {(int)response.StatusCode} {html}");
        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        return (html, fields);
    }

    public Task<HttpResponseMessage> ChooseAsync(Dictionary<string, string> fields, string person) =>
        Browser.PostAsync("/auth/authorize", new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["person"] = person }));

    /// <summary>Signs <paramref name="person"/> in through the page; returns the code the redirect to the console carries.</summary>
    public async Task<string> CodeAsync(string person = "demo-clinician")
    {
        var (_, fields) = await LoginPageAsync();
        using var response = await ChooseAsync(fields, person);
        return CodeOf(response);
    }

    public static string CodeOf(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect, got {(int)response.StatusCode}");
        var location = response.Headers.Location!;
        Assert.StartsWith(DevelopmentFactory.RedirectUri + "?", location.AbsoluteUri);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("state-1", query["state"].ToString());
        return query["code"].ToString() is { Length: > 0 } code ? code : throw new InvalidOperationException($"no code in {location}");
    }

    public Task<HttpResponseMessage> RedeemAsync(string code, string? verifier = null, string clientId = ConsoleClient.Id,
        string redirectUri = DevelopmentFactory.RedirectUri) =>
        factory.Anonymous().PostAsync("/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier ?? Verifier,
        }));

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken, string clientId = ConsoleClient.Id) =>
        factory.Anonymous().PostAsync("/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = clientId,
        }));

    /// <summary>The whole flow for <paramref name="person"/>: the token response (access, id and refresh tokens).</summary>
    public async Task<JsonNode> TokensAsync(string person = "demo-clinician")
    {
        using var response = await RedeemAsync(await CodeAsync(person));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token request: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
