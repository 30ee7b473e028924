using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using MgAuth.Api.Tests.Support;
using MgAuth.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using People = MgAuth.Testing.OidcProvider.People;

namespace MgAuth.Api.Tests;

/// <summary>
/// Against an identity provider nobody here wrote (issue 20): the certified Node <c>oidc-provider</c> on loopback, its own
/// login page, its own JWT access tokens. A clinician signed in there denies a case and is named in the history and the
/// notice; a token of that provider for another audience, or one signed by a key it does not publish, is 401.
/// </summary>
public sealed class OidcProviderTests(OidcProviderFactory factory) : IClassFixture<OidcProviderFactory>
{
    [Fact]
    public async Task A_clinician_signed_in_at_the_provider_denies_a_case_and_the_history_and_the_notice_name_them()
    {
        var pended = await factory.PendedDenyAsync();
        var clinician = await factory.SignedInAsync(People.Clinician);

        Assert.Equal(People.ClinicianName, (string)(await clinician.QueueAsync())["viewer"]!["name"]!);
        using (var claimed = await clinician.ClaimAsync(pended.Id())) Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        var denied = await clinician.DetermineOkAsync(pended.Id(), ReviewCalls.Deny());

        var person = denied["determination"]!["reviewer"]!["person"]!;
        Assert.Equal(factory.Idp.Issuer, (string)person["issuer"]!);
        Assert.Equal(People.Clinician, (string)person["subject"]!);
        Assert.Equal(People.ClinicianName, (string)person["name"]!);
        var determined = (await clinician.EventsAsync(pended.Id())).Select(e => e!.AsObject()).Single(e => (string)e["kind"]! == "determined");
        Assert.Equal(People.ClinicianName, (string)determined["person"]!["name"]!);
        var notice = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}/notice");
        Assert.Equal(People.ClinicianName, (string)notice["decidedBy"]!["name"]!);
        Assert.Contains(People.ClinicianName, (string)notice["decidedBy"]!["statement"]!);
    }

    [Fact]
    public async Task A_token_the_provider_issued_for_another_audience_is_401()
    {
        var tokens = await factory.Idp.SignInAsync(People.Clinician, resource: OidcProvider.OtherResource);
        Assert.Equal(OidcProvider.OtherResource, new JsonWebToken(tokens.AccessToken).Audiences.Single()); // the provider's token, as issued

        using var response = await factory.ClientWithToken(tokens.AccessToken).GetAsync("/v1/authorizations?status=pended");
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("another audience", (string)problem["detail"]!);
    }

    [Fact]
    public async Task A_token_naming_the_provider_but_signed_by_a_key_it_does_not_publish_is_401()
    {
        // The attack: the provider's real token, its claims and even its key id copied, re-signed with the attacker's key.
        var real = new JsonWebToken((await factory.Idp.SignInAsync(People.Clinician)).AccessToken);
        using var attacker = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = real.Issuer,
            Audience = OidcProvider.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", real.Subject), new Claim("name", "Mallory"), new Claim("roles", "admin"), new Claim("org", "plan")]),
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow,
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(attacker) { KeyId = real.Kid }, SecurityAlgorithms.RsaSha256),
        });

        using var response = await factory.ClientWithToken(forged).GetAsync("/v1/authorizations?status=pended");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("signature", (string)(await response.AssertProblemAsync(HttpStatusCode.Unauthorized))["detail"]!, StringComparison.OrdinalIgnoreCase);

        // The same claims under the provider's real signature work: the refusal was the key, nothing else.
        using var genuine = await factory.ClientWithToken(real.EncodedToken).GetAsync("/v1/authorizations?status=pended");
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }
}

/// <summary>
/// Four eyes compares persons, not tokens or roles: Dana Reyes, one subject at the provider holding policy_author and
/// policy_approver, publishes a release acting as author and is refused activating it acting as approver; another person
/// activates it. A service of its own: it changes the active release.
/// </summary>
public sealed class OidcProviderFourEyesTests(OidcProviderFactory factory) : IClassFixture<OidcProviderFactory>
{
    [Fact]
    public async Task An_author_and_an_approver_who_are_the_same_person_at_the_provider_are_refused_activation()
    {
        var release = CeilingRelease.Files.WithPackFile("pack.yaml", CeilingRelease.Files.Pack["pack.yaml"] + $"\n# {Guid.NewGuid():N}\n");
        await factory.Idp.ActAsync(People.AuthorAndApprover, "policy_author");
        var asAuthor = await factory.SignedInAsync(People.AuthorAndApprover);
        await asAuthor.PublishCreatedAsync(release);
        var published = (await asAuthor.ListReleasesAsync())["releases"]!.AsArray().Single(r => (string)r!["sha256"]! == release.Sha256)!;
        Assert.Equal("Dana Reyes", (string)published["publishedByPerson"]!["name"]!);
        Assert.Equal(People.AuthorAndApprover, (string)published["publishedByPerson"]!["subject"]!);

        await factory.Idp.ActAsync(People.AuthorAndApprover, "policy_approver");
        var sameAsApprover = await factory.SignedInAsync(People.AuthorAndApprover);
        using (var own = await sameAsApprover.ActivateAsync(release.Sha256))
            Assert.Contains("published by you", (string)(await own.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!);
        Assert.NotEqual(release.Sha256, (string)(await sameAsApprover.ListReleasesAsync())["activeRelease"]!);

        var other = await factory.SignedInAsync(People.PolicyApprover);
        var activation = await other.ActivateOkAsync(release.Sha256);
        Assert.Equal("Noor Haddad", (string)activation["activatedByPerson"]!["name"]!);
    }
}

/// <summary>
/// A person disabled at the provider is refused within their token's lifetime (6 s here, from the short-lived client; 30 s
/// of clock skew on top): the token they hold works until then, the provider refuses them a new one at once, and after it
/// the token is 401 as expired. The one slow test (about 40 s), in a class of its own so it runs beside the others.
/// </summary>
public sealed class OidcProviderDisabledPersonTests(OidcProviderFactory factory) : IClassFixture<OidcProviderFactory>
{
    [Fact]
    public async Task A_person_disabled_at_the_provider_is_refused_once_their_token_expires()
    {
        // The service up first (its start under load takes longer than the token lives).
        using (var warm = await factory.Reviewer.GetAsync("/v1/authorizations?status=pended")) Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        var tokens = await factory.Idp.SignInAsync(People.Reviewer, OidcProvider.ShortLivedClient);
        Assert.Equal(6, tokens.ExpiresIn);
        Assert.NotNull(tokens.RefreshToken);
        var expires = new JsonWebToken(tokens.AccessToken).ValidTo;
        var reviewer = factory.ClientWithToken(tokens.AccessToken);
        using (var before = await reviewer.GetAsync("/v1/authorizations?status=pended"))
            Assert.True(before.StatusCode == HttpStatusCode.OK, $"before: {(int)before.StatusCode} {await before.Content.ReadAsStringAsync()}");

        await factory.Idp.DisableAsync(People.Reviewer);
        Assert.Null(await factory.Idp.RefreshAsync(tokens.RefreshToken!, OidcProvider.ShortLivedClient));
        await Assert.ThrowsAnyAsync<Exception>(() => factory.Idp.SignInAsync(People.Reviewer, OidcProvider.ShortLivedClient));

        var wait = expires + Api.Security.StaffTokens.ClockSkew + TimeSpan.FromSeconds(1) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        using var after = await reviewer.GetAsync("/v1/authorizations?status=pended");
        Assert.Contains("expired", (string)(await after.AssertProblemAsync(HttpStatusCode.Unauthorized))["detail"]!);
    }
}
