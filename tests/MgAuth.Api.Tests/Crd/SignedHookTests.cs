using MgAuth.Api.Crd;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using static MgAuth.Api.Tests.Support.CrdCalls;

namespace MgAuth.Api.Tests.Crd;

/// <summary>
/// Signed CDS Hooks calls (issue 20, item 3): an EHR's JWT, as CDS Hooks 2.0 requires it, is accepted on the order-sign
/// service from a configured issuer for its organization — RS384 and ES384 — and every way to misuse one is a 401 that
/// names only which check failed: a replayed jti (on one instance or across two sharing a database), another service's
/// audience, an expired or overlong token, an unknown kid (with at most one JWKS fetch a minute), an unknown issuer,
/// alg none, HS256 keyed with the public key, and a JWKS URL into the payer's own network.
/// </summary>
public sealed class SignedHookTests(SignedHookFactory factory) : IClassFixture<SignedHookFactory>
{
    private Ehr Ehr => factory.Ehr;
    private DateTimeOffset Now => factory.Clock.GetUtcNow();

    private static JsonObject OrderSignRequest() => HookRequestOf(Examples.ForNewMember(Examples.All[0]));

    private async Task<HttpResponseMessage> CallAsync(string token, string url = OrderSign, MgAuthFactory? on = null) =>
        await (on ?? factory).ClientWithSecret(token).PostHookAsync(OrderSignRequest(), url);

    /// <summary>Asserts the call was refused as unauthenticated for <paramref name="why"/>, and nothing more is said.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string why)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.EndsWith("/unauthenticated", (string)problem["type"]!);
        Assert.Equal($"The call's JWT was refused: {why}.", (string)problem["detail"]!);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    private long EvaluationsBy(string actor) =>
        factory.ScalarLong("SELECT COUNT(*) FROM evaluations WHERE actor = @actor AND organization_id = @org", ("@actor", actor), ("@org", TestKeys.OrgA));

    [Fact]
    public async Task An_RS384_signed_order_sign_call_gets_its_cards_as_a_provider_of_the_issuers_organization()
    {
        _ = factory.Keys; // org A exists, as it would
        var before = EvaluationsBy("practitioner-17");

        using var response = await CallAsync(Ehr.Token(Now));

        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        var card = Assert.Single(json["cards"]!.AsArray())!;
        Assert.Contains("prior authorization required", (string)card["summary"]!);
        Updated(json.AsObject());
        // Recorded as the person the token names, for the issuer's organization.
        Assert.Equal(before + 1, EvaluationsBy("practitioner-17"));
    }

    [Fact]
    public async Task An_ES384_signed_call_is_accepted_and_a_token_without_sub_acts_as_the_issuer()
    {
        var before = EvaluationsBy(Ehr.Issuer);

        using var response = await CallAsync(Ehr.Token(Now, Ehr.Es384, subject: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, EvaluationsBy(Ehr.Issuer));
    }

    [Fact]
    public async Task The_principal_carries_the_shared_identity_claims()
    {
        using var scope = factory.Services.CreateScope();
        var handler = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        handler.Request.Scheme = "https";
        handler.Request.Host = new("payer.example");
        handler.Request.Path = OrderSign;
        handler.Request.Headers.Authorization = "Bearer " + Ehr.Token(Now, subject: "dr-who");

        var result = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(handler);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var user = result.Principal!;
        Assert.Equal("dr-who", user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
        Assert.Equal(Roles.Provider, user.FindFirst(System.Security.Claims.ClaimTypes.Role)!.Value);
        Assert.Equal(TestKeys.OrgA, user.FindFirst(Caller.OrganizationClaim)!.Value);
        Assert.Equal(Ehr.Issuer, user.FindFirst(Caller.PersonIssuerClaim)!.Value);
        Assert.Equal("dr-who", user.FindFirst(Caller.PersonSubjectClaim)!.Value);
        Assert.Equal(Ehr.Name, user.FindFirst(Caller.PersonNameClaim)!.Value);
    }

    [Fact]
    public async Task A_replayed_jti_is_refused_whether_the_same_token_or_a_new_one_reusing_it()
    {
        var token = Ehr.Token(Now);
        using (var first = await CallAsync(token)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var again = await CallAsync(token);
        await AssertRefusedAsync(again, "replayed");

        var jti = Guid.NewGuid().ToString("N");
        using (var first = await CallAsync(Ehr.Token(Now, jti: jti))) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var reused = await CallAsync(Ehr.Token(Now, Ehr.Es384, jti: jti));
        await AssertRefusedAsync(reused, "replayed");
    }

    [Fact]
    public async Task A_token_without_a_jti_is_refused()
    {
        using var response = await CallAsync(Ehr.Token(Now, jti: null));
        await AssertRefusedAsync(response, "replayed");
    }

    [Theory]
    [InlineData(Ehr.Audience + "/cds-services/another-service")]
    [InlineData("https://other-payer.example/cds-services/mgauth-ivig-order-sign")]
    [InlineData(Ehr.Audience)]
    [InlineData(null)]
    public async Task A_token_for_another_services_url_or_none_is_refused(string? audience)
    {
        using var response = await CallAsync(Ehr.Token(Now, audience: audience));
        await AssertRefusedAsync(response, "audience");
    }

    [Fact]
    public async Task An_expired_overlong_future_or_iat_less_token_is_refused()
    {
        // Expired a minute ago (beyond the 30 s skew).
        using (var expired = await CallAsync(Ehr.Token(Now, issuedAgo: TimeSpan.FromMinutes(4), lifetime: TimeSpan.FromMinutes(3))))
            await AssertRefusedAsync(expired, "expired");
        // Valid for ten minutes: longer than any call needs.
        using (var overlong = await CallAsync(Ehr.Token(Now, lifetime: TimeSpan.FromMinutes(10))))
            await AssertRefusedAsync(overlong, "expired");
        // Issued two minutes in the future.
        using (var future = await CallAsync(Ehr.Token(Now, issuedAgo: TimeSpan.FromMinutes(-2))))
            await AssertRefusedAsync(future, "expired");
        using (var noIat = await CallAsync(Ehr.Token(Now, withIat: false)))
            await AssertRefusedAsync(noIat, "expired");
        // Expired 20 s ago: within the skew, still accepted.
        using var skewed = await CallAsync(Ehr.Token(Now, issuedAgo: TimeSpan.FromSeconds(80), lifetime: TimeSpan.FromMinutes(1)));
        Assert.Equal(HttpStatusCode.OK, skewed.StatusCode);
    }

    [Fact]
    public async Task A_token_from_an_issuer_not_configured_is_refused()
    {
        using var response = await CallAsync(Ehr.Token(Now, issuer: "https://rogue-ehr.example"));
        await AssertRefusedAsync(response, "unknown issuer");
    }

    [Fact]
    public async Task Alg_none_HS256_keyed_with_the_public_key_RS256_and_a_key_the_EHR_never_published_are_refused()
    {
        using (var none = await CallAsync(Ehr.Unsigned(Now, Ehr.Rsa.KeyId)))
            await AssertRefusedAsync(none, "signature");
        using (var confused = await CallAsync(Ehr.Token(Now, Ehr.Hs256WithPublicKey())))
            await AssertRefusedAsync(confused, "signature");
        using (var rs256 = await CallAsync(Ehr.Token(Now, new SigningCredentials(Ehr.Rsa, SecurityAlgorithms.RsaSha256))))
            await AssertRefusedAsync(rs256, "signature");
        // The EHR's kid on a key an attacker holds.
        using var forged = await CallAsync(Ehr.Token(Now, new SigningCredentials(Ehr.OtherRsa(Ehr.Rsa.KeyId), SecurityAlgorithms.RsaSha384)));
        await AssertRefusedAsync(forged, "signature");
    }

    [Theory]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzM4NCJ9.not-json.sig")]
    [InlineData("eyJub3Qgb2JqZWN0Ig.e30.")]
    [InlineData("..")]
    [InlineData("eyJhbGciOiJSUzM4NCIsImtpZCI6ImVoci1yc2EtMSJ9.eyJpc3MiOjUsImF1ZCI6WyJ4Iix7fV19.c2ln")] // iss 5, aud ["x", {}]
    [InlineData("eyJhbGciOiJSUzM4NCIsImtpZCI6N30.eyJpc3MiOiJodHRwczovL2Voci5leGFtcGxlL2ZoaXIifQ.c2ln")] // kid 7
    public async Task A_malformed_token_is_refused_not_an_error(string token)
    {
        using var response = await CallAsync(token);
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.EndsWith("/unauthenticated", (string)problem["type"]!);
    }

    [Fact]
    public async Task A_signed_token_opens_only_the_CDS_service_not_v1()
    {
        using var response = await factory.ClientWithSecret(Ehr.Token(Now)).PostJsonAsync("/v1/evaluate", Examples.ForNewMember(Examples.All[0]));
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Api_keys_still_work_and_discovery_stays_open()
    {
        using (var keyed = await factory.ProviderA.PostHookAsync(OrderSignRequest())) Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        await factory.Anonymous().GetOkAsync(Discovery);
        await factory.ClientWithSecret(Ehr.Unsigned(Now, "x")).GetOkAsync(Discovery);
    }

    [Theory]
    [InlineData(SignedHookFactory.MetadataIssuer, SignedHookFactory.MetadataJwks)]
    [InlineData(SignedHookFactory.LoopbackIssuer, SignedHookFactory.LoopbackJwks)]
    public async Task A_JWKS_URL_into_the_payers_own_network_is_refused_at_fetch(string issuer, string jwks)
    {
        using var response = await CallAsync(Ehr.Token(Now, issuer: issuer));

        await AssertRefusedAsync(response, "signature");
        Assert.Equal(0, factory.Jwks.RequestsFor(jwks));
    }

    [Fact]
    public async Task An_unknown_kid_fetches_the_JWKS_again_at_most_once_a_minute_and_a_rotated_key_is_then_accepted()
    {
        await using var service = new SignedHookFactory();
        var ehr = service.Ehr;
        DateTimeOffset now() => service.Clock.GetUtcNow();
        using (var first = await CallAsync(ehr.Token(now()), on: service)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, service.Jwks.RequestsFor(Ehr.JwksUrl));
        var rotated = Ehr.OtherRsa("ehr-rsa-2");

        // Unknown kid a minute after the last fetch: one refetch, then none however many follow within the minute.
        service.Clock.Advance(TimeSpan.FromSeconds(61));
        using (var unknown = await CallAsync(ehr.Token(now(), new SigningCredentials(rotated, SecurityAlgorithms.RsaSha384)), on: service))
            await AssertRefusedAsync(unknown, "signature");
        Assert.Equal(2, service.Jwks.RequestsFor(Ehr.JwksUrl));
        service.Jwks.Documents[Ehr.JwksUrl] = ehr.Jwks(ehr.Rsa, ehr.Ec, rotated);
        for (var i = 0; i < 5; i++)
        {
            using var again = await CallAsync(ehr.Token(now(), new SigningCredentials(rotated, SecurityAlgorithms.RsaSha384)), on: service);
            await AssertRefusedAsync(again, "signature");
        }
        Assert.Equal(2, service.Jwks.RequestsFor(Ehr.JwksUrl));
        // The known keys keep working meanwhile, without a fetch.
        using (var known = await CallAsync(ehr.Token(now(), ehr.Es384), on: service)) Assert.Equal(HttpStatusCode.OK, known.StatusCode);

        // A minute on, the rotated key is fetched and accepted.
        service.Clock.Advance(TimeSpan.FromSeconds(61));
        using (var accepted = await CallAsync(ehr.Token(now(), new SigningCredentials(rotated, SecurityAlgorithms.RsaSha384)), on: service))
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(3, service.Jwks.RequestsFor(Ehr.JwksUrl));
    }

    [Fact]
    public async Task A_JWKS_that_cannot_be_fetched_refuses_and_stale_keys_are_never_used_again()
    {
        await using var service = new SignedHookFactory();
        var ehr = service.Ehr;
        using (var first = await CallAsync(ehr.Token(service.Clock.GetUtcNow()), on: service)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // The EHR's JWKS is gone and the keys are past CdsHooks:JwksCacheMinutes (60).
        service.Jwks.Documents.TryRemove(Ehr.JwksUrl, out _);
        service.Clock.Advance(TimeSpan.FromMinutes(61));
        using var refused = await CallAsync(ehr.Token(service.Clock.GetUtcNow()), on: service);

        await AssertRefusedAsync(refused, "signature");
        Assert.Equal(2, service.Jwks.RequestsFor(Ehr.JwksUrl));
    }

    [Fact]
    public async Task A_jti_used_on_one_instance_is_refused_by_another_sharing_the_database_even_sent_to_both_at_once()
    {
        _ = factory.Services;
        await using var second = new SignedHookFactory { Sharing = factory, Ehr = factory.Ehr };

        var token = Ehr.Token(Now);
        using (var first = await CallAsync(token)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var replayed = await CallAsync(token, on: second)) await AssertRefusedAsync(replayed, "replayed");

        // Eight copies of one fresh token, four to each instance at once: exactly one is accepted.
        var racing = Ehr.Token(Now);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CallAsync(racing, on: i % 2 == 0 ? factory : second)));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized));
        foreach (var answer in answers) answer.Dispose();
    }

    [Fact]
    public void Production_refuses_to_start_with_issuers_and_no_audience()
    {
        var check = new CdsHooksOptionsCheck(new ProductionEnvironment());
        var options = new CdsHooksOptions { Issuers = [new EhrIssuer { Issuer = Ehr.Issuer, JwksUrl = Ehr.JwksUrl, OrganizationId = TestKeys.OrgA }] };

        var failed = check.Validate(null, options);

        Assert.True(failed.Failed);
        Assert.Contains("CdsHooks:Audience is required in production", failed.FailureMessage);
        options.Audience = Ehr.Audience;
        Assert.True(check.Validate(null, options).Succeeded);
        options.Issuers.Add(new EhrIssuer { Issuer = "https://x.example", JwksUrl = "not a url" });
        var incomplete = check.Validate(null, options);
        Assert.Contains("CdsHooks:Issuers:1:JwksUrl", incomplete.FailureMessage);
        Assert.Contains("CdsHooks:Issuers:1:OrganizationId", incomplete.FailureMessage);
    }

    private sealed class ProductionEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "MgAuth.Api";
        public string ContentRootPath { get; set; } = "";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
