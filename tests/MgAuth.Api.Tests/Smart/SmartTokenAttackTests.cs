using System.Security.Cryptography;
using System.Text;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Smart;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests.Smart;

/// <summary>
/// Assertions an attacker could send to the token endpoint: each is refused with invalid_client (401), as SMART Backend
/// Services says, and no token is issued; a token issued before its client was revoked lives out its few minutes only.
/// </summary>
public sealed class SmartTokenAttackTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private SmartSystem Registered() => SmartSystem.Rs384().RegisterWith(factory, TestKeys.OrgA);

    [Fact]
    public async Task An_assertion_signed_by_a_key_nobody_registered_is_invalid_client()
    {
        var system = Registered();
        var stranger = SmartSystem.Rs384(kid: "rs-1"); // same kid, another key

        await AssertInvalidClientAsync(system.Assertion(credentials: new SigningCredentials(stranger.Key, SecurityAlgorithms.RsaSha384)));
    }

    [Fact]
    public async Task An_assertion_for_another_audience_is_invalid_client()
    {
        var system = Registered();

        await AssertInvalidClientAsync(system.Assertion(audience: "https://another-payer.example/auth/token"));
    }

    [Fact]
    public async Task An_expired_assertion_is_invalid_client()
    {
        var system = Registered();

        await AssertInvalidClientAsync(system.Assertion(issuedAt: DateTime.UtcNow.AddMinutes(-10), expiresIn: TimeSpan.FromMinutes(4)));
    }

    [Fact]
    public async Task An_assertion_valid_for_more_than_five_minutes_is_invalid_client()
    {
        var system = Registered();

        await AssertInvalidClientAsync(system.Assertion(expiresIn: TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task A_replayed_jti_is_invalid_client_the_second_time()
    {
        var system = Registered();
        var assertion = system.Assertion();
        using var first = await SmartSystem.RequestTokenAsync(factory.Anonymous(), assertion);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        await AssertInvalidClientAsync(assertion);
        // A new assertion reusing the jti is a replay too.
        await AssertInvalidClientAsync(system.Assertion(jti: JtiOf(assertion)));
    }

    [Fact]
    public async Task An_HS256_assertion_keyed_with_public_key_material_is_invalid_client()
    {
        var system = Registered();
        // The classic confusion: the public modulus as an HMAC secret.
        var secret = Encoding.UTF8.GetBytes(system.Jwks.PadRight(64, '.'));

        await AssertInvalidClientAsync(system.Assertion(credentials: new SigningCredentials(new SymmetricSecurityKey(secret) { KeyId = "rs-1" }, SecurityAlgorithms.HmacSha256)));
    }

    [Fact]
    public async Task An_unsigned_assertion_with_alg_none_is_invalid_client()
    {
        var system = Registered();
        var signed = system.Assertion();
        var payload = signed.Split('.')[1];
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");

        await AssertInvalidClientAsync($"{header}.{payload}.");
    }

    [Fact]
    public async Task An_RS256_assertion_by_the_registered_key_is_invalid_client()
    {
        var system = Registered();

        await AssertInvalidClientAsync(system.Assertion(credentials: new SigningCredentials(system.Key, SecurityAlgorithms.RsaSha256)));
    }

    [Fact]
    public async Task An_assertion_naming_another_client_as_issuer_is_invalid_client()
    {
        var victim = Registered();
        var attacker = Registered();

        // Signed with the attacker's own key, claiming to be the victim.
        await AssertInvalidClientAsync(attacker.Assertion(issuer: victim.ClientId));
    }

    [Fact]
    public async Task A_revoked_client_gets_no_token_and_its_token_lives_five_minutes_at_most()
    {
        var system = Registered();
        var token = await system.TokenAsync(factory);
        Assert.True(await factory.Services.GetRequiredService<SmartClients>().RevokeAsync(KeyIssuing.TestSetup, system.ClientId));

        await AssertInvalidClientAsync(system.Assertion());
        var expires = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).ValidTo;
        Assert.True(expires <= DateTime.UtcNow.AddMinutes(5).AddSeconds(5), $"token valid until {expires:O}");
    }

    [Fact]
    public async Task A_token_request_without_an_assertion_is_refused_and_a_forged_access_token_is_401()
    {
        using var bare = await factory.Anonymous().PostAsync("/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Registered().ClientId,
            ["scope"] = SmartScopes.ClaimWrite,
        }));
        Assert.Contains(bare.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.DoesNotContain("access_token", await bare.Content.ReadAsStringAsync());

        // An access token signed by the client's own key (not the server's) is not a token of this server.
        var system = Registered();
        var forged = system.Assertion(audience: "mgauth");
        using var submit = await factory.ClientWithSecret(forged).GetAsync("/v1/authorizations");
        Assert.Equal(HttpStatusCode.Unauthorized, submit.StatusCode);
    }

    [Fact]
    public async Task A_scope_nobody_registered_is_refused()
    {
        var system = SmartSystem.Rs384().RegisterWith(factory, TestKeys.OrgA, null, SmartScopes.ClaimRead);

        using var response = await SmartSystem.RequestTokenAsync(factory.Anonymous(), system.Assertion(), SmartScopes.ClaimWrite);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!);
    }

    private async Task AssertInvalidClientAsync(string assertion)
    {
        using var response = await SmartSystem.RequestTokenAsync(factory.Anonymous(), assertion);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode} {text}");
        Assert.Equal("invalid_client", (string)JsonNode.Parse(text)!["error"]!);
    }

    private static string JtiOf(string assertion) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(assertion).Id;
}
