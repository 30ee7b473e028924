using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>
/// Staff act with the plan's identity provider's access tokens beside API keys (issue 20): a clinician's token denies a case
/// and every record names the clinician, never a key id; a token for another audience, expired past the 30 s skew, signed by
/// a key the provider does not publish, from another issuer, or without exactly one MgAuth role is 401 with why. The provider
/// is <see cref="FakeIdentityProvider"/>: its metadata and keys reach the service through a backchannel, no network.
/// </summary>
public sealed class StaffTokenTests(StaffFactory factory) : IClassFixture<StaffFactory>
{
    private static readonly IdpPerson Clinician = new("u-7731", "Dr. Ada Moreno", ["clinician", "offline_access"], Npi: TestKeys.ClinicianNpi);

    [Fact]
    public async Task A_clinicians_access_token_denies_a_case_and_the_history_the_determination_and_the_notice_name_the_clinician()
    {
        var pended = await factory.PendedDenyAsync();
        var clinician = factory.ClientFor(Clinician);

        var queue = await clinician.QueueAsync();
        Assert.Equal("Dr. Ada Moreno", (string)queue["viewer"]!["name"]!);
        Assert.Equal("clinician", (string)queue["viewer"]!["role"]!);
        using (var claimed = await clinician.ClaimAsync(pended.Id()))
        {
            var claim = (await claimed.JsonAsync()).AsObject();
            Assert.True((bool)claim["claimedByYou"]!);
            Assert.Equal("Dr. Ada Moreno", (string)claim["claimedByPerson"]!["name"]!);
        }
        var denied = await clinician.DetermineOkAsync(pended.Id(), ReviewCalls.Deny());

        var reviewer = denied["determination"]!["reviewer"]!;
        Assert.Equal("u-7731", (string)reviewer["keyId"]!); // the field stays; for a token it holds the subject
        Assert.Equal(FakeIdentityProvider.Issuer, (string)reviewer["person"]!["issuer"]!);
        Assert.Equal("u-7731", (string)reviewer["person"]!["subject"]!);
        Assert.Equal("Dr. Ada Moreno", (string)reviewer["person"]!["name"]!);

        var determined = (await clinician.EventsAsync(pended.Id())).Select(e => e!.AsObject()).Single(e => (string)e["kind"]! == "determined");
        Assert.Equal("Dr. Ada Moreno", (string)determined["person"]!["name"]!);
        Assert.Equal("clinician", (string)determined["actorRole"]!);

        var notice = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}/notice");
        Assert.Equal("Dr. Ada Moreno", (string)notice["decidedBy"]!["name"]!);
        Assert.Contains("a clinician, Dr. Ada Moreno (NPI", (string)notice["decidedBy"]!["statement"]!);

        // Stored as the person: the row's own columns, not only the JSON.
        Assert.Equal(1, factory.ScalarLong("""
            SELECT COUNT(*) FROM determinations WHERE authorization_id = @id AND reviewer_name = 'Dr. Ada Moreno' AND reviewer_subject = 'u-7731'
                AND reviewer_issuer = @issuer
            """, ("@id", pended.Id()), ("@issuer", FakeIdentityProvider.Issuer)));
        Assert.Equal(0, factory.ScalarLong("""
            SELECT COUNT(*) FROM events WHERE authorization_id = @id AND actor = 'u-7731' AND (actor_name IS NULL OR actor_name <> 'Dr. Ada Moreno')
            """, ("@id", pended.Id())));
        Assert.True(factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id AND actor_name = 'Dr. Ada Moreno'",
            ("@id", pended.Id())) >= 2); // claimed, determined (and viewed)
    }

    [Fact]
    public async Task A_key_and_its_history_rows_show_the_keys_name_not_its_id()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());
        var events = (await factory.Clinician().EventsAsync(pended.Id())).Select(e => e!.AsObject()).ToArray();
        var submitted = events.Single(e => (string)e["kind"]! == "submitted");
        Assert.Equal("Org A portal", (string)submitted["person"]!["name"]!);
        Assert.Equal("Clinician", (string)events.Single(e => (string)e["kind"]! == "determined")["person"]!["name"]!);
        Assert.All(events, e => Assert.DoesNotContain("key_", (string)e["person"]!["name"]!));
    }

    [Fact]
    public async Task A_row_recorded_before_persons_reads_as_its_key_by_the_keys_name()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());
        // As the migration leaves a determination recorded before it: no person columns, no person in its JSON. (The table
        // refuses updates, so the test writes such a row as it was.)
        factory.Execute("""
            INSERT INTO determinations (authorization_id, revision, action, from_status, to_status, determination_json, reviewer_key_id,
                reviewer_role, reviewer_npi, determined_at)
            SELECT authorization_id, revision, action, from_status, to_status,
                REPLACE(determination_json, '"person":', '"formerPerson":'), reviewer_key_id, reviewer_role, reviewer_npi, determined_at
            FROM determinations WHERE authorization_id = @id
            """, ("@id", pended.Id()));
        var decision = await factory.Clinician().GetOkAsync($"/v1/authorizations/{pended.Id()}");
        var person = decision["determination"]!["reviewer"]!["person"]!;
        Assert.Equal(factory.Keys.Clinician.Record.Id, (string)person["subject"]!);
        Assert.Equal("urn:mgauth:keys", (string)person["issuer"]!);
        Assert.Equal("Clinician", (string)person["name"]!);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "another audience", "another audience" },
        { "expired", "expired" },
        { "an unknown key", "does not publish" },
        { "another issuer", "another identity provider" },
        { "no MgAuth role", "no MgAuth role" },
        { "two MgAuth roles", "several MgAuth roles" },
        { "a provider without organization", "names its organization" },
        { "a forged signature", "signature" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_token_that_does_not_fit_is_401_with_why(string what, string why)
    {
        var idp = factory.Idp;
        var token = what switch
        {
            "another audience" => idp.AccessToken(Clinician, audience: "another-api"),
            // Expired a minute ago: past the 30 s of clock skew.
            "expired" => idp.AccessToken(Clinician, now: DateTimeOffset.UtcNow.AddMinutes(-6)),
            "an unknown key" => idp.AccessToken(Clinician, signWith: FakeIdentityProvider.UnknownKey()),
            "another issuer" => idp.AccessToken(Clinician, issuer: "https://attacker.test"),
            "no MgAuth role" => idp.AccessToken(Clinician with { Roles = ["offline_access", "uma_authorization"] }),
            "two MgAuth roles" => idp.AccessToken(Clinician with { Roles = ["reviewer clinician"] }),
            "a provider without organization" => idp.AccessToken(Clinician with { Roles = ["provider"] }),
            "a forged signature" => Forge(idp.AccessToken(Clinician)),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        using var response = await factory.ClientWithToken(token).GetAsync("/v1/review-queue");
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("The access token was not accepted", (string)problem["title"]!);
        Assert.Contains(why, (string)problem["detail"]!);
    }

    [Fact]
    public async Task A_token_expired_within_the_clock_skew_still_acts_and_one_past_it_does_not()
    {
        // Expired 5 s ago: within the 30 s skew. 90 s ago: refused. (The client first, so the service is up when the token is minted.)
        var client = factory.Anonymous();
        using (var within = await client.SendAsync(WithToken(factory.Idp.AccessToken(Clinician, now: DateTimeOffset.UtcNow.AddSeconds(-305)))))
            Assert.True(within.StatusCode == HttpStatusCode.OK, (await within.JsonAsync()).ToJsonString());
        using var past = await client.SendAsync(WithToken(factory.Idp.AccessToken(Clinician, now: DateTimeOffset.UtcNow.AddSeconds(-390))));
        Assert.Equal(HttpStatusCode.Unauthorized, past.StatusCode);
    }

    [Fact]
    public async Task A_providers_token_names_its_organization_and_sees_only_its_own_cases()
    {
        var providerB = factory.ClientFor(new IdpPerson("portal-b-user", "Org B front desk", ["provider"], TestKeys.OrgB, "1245319599"));
        var ownCase = await providerB.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        Assert.Equal("Org B front desk", (string)(await providerB.EventsAsync(ownCase.Id())).First()!["person"]!["name"]!);
        var otherCase = await factory.PendedDenyAsync();
        using var other = await providerB.GetAsync($"/v1/authorizations/{otherCase.Id()}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        // And a provider's token is no staff member's: the queue is refused.
        using var queue = await providerB.GetAsync("/v1/review-queue");
        Assert.Equal(HttpStatusCode.Forbidden, queue.StatusCode);
    }

    [Fact]
    public async Task Keys_keep_working_beside_tokens_and_a_made_up_key_is_still_a_key()
    {
        Assert.Equal("Reviewer", (string)(await factory.Reviewer.QueueAsync())["viewer"]!["name"]!);
        using var made = await factory.ClientWithSecret("mga_not-a-key").GetAsync("/v1/review-queue");
        var problem = await made.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Sign-in is required", (string)problem["title"]!);
    }

    private static HttpRequestMessage WithToken(string token) =>
        new(HttpMethod.Get, "/v1/review-queue") { Headers = { Authorization = new("Bearer", token) } };

    // The payload changed after signing (a role raised), the signature kept.
    private static string Forge(string token)
    {
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"clinician\"", "\"admin\"");
        return $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }
}

/// <summary>
/// Four eyes compare persons across keys and sign-ins: a policy author's key naming a person at the identity provider
/// (<c>--person-issuer</c>) and that person's approver token are one person, and activation is refused; another person's
/// token activates, and the release, the activation and the audit log name each person.
/// </summary>
public sealed class StaffFourEyesTests : IAsyncLifetime
{
    private readonly StaffFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    [Fact]
    public async Task An_author_key_and_an_approver_sign_in_of_the_same_person_cannot_activate_their_own_release()
    {
        var keys = _factory.Services.GetRequiredService<ApiKeys>();
        var authorKey = await keys.CreateAsync(new MgAuth.Cases.Data.AuditActor("test", "operator", null), TestKeys.Plan, Roles.PolicyAuthor,
            "Dana Reyes (author key)", personId: "u-dana", personIssuer: FakeIdentityProvider.Issuer);
        var release = CeilingRelease.Files.WithPackFile("pack.yaml", CeilingRelease.Files.Pack["pack.yaml"] + $"\n# {Guid.NewGuid():N}\n");
        await _factory.ClientFor(authorKey).PublishCreatedAsync(release);

        var danaApproves = _factory.ClientFor(new IdpPerson("u-dana", "Dana Reyes", ["policy_approver"]));
        using (var own = await danaApproves.ActivateAsync(release.Sha256))
            Assert.Contains("published by you", (string)(await own.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!);
        // The same subject named by a key of the plan's own (urn:mgauth:keys) is the same person too: a false "same" only refuses.
        var plainKey = keys.Create(TestKeys.Plan, Roles.PolicyApprover, "Dana's old approver key", personId: "U-DANA");
        using (var old = await _factory.ClientFor(plainKey).ActivateAsync(release.Sha256))
            Assert.Equal(HttpStatusCode.Conflict, old.StatusCode);

        var sam = _factory.ClientFor(new IdpPerson("u-sam", "Sam Okafor", ["policy_approver"]));
        var activation = await sam.ActivateOkAsync(release.Sha256);
        Assert.Equal("Sam Okafor", (string)activation["activatedByPerson"]!["name"]!);

        var listing = await sam.ListReleasesAsync();
        Assert.Equal("Dana Reyes (author key)", (string)listing.Release(release.Sha256)["publishedByPerson"]!["name"]!);
        Assert.Equal(FakeIdentityProvider.Issuer, (string)listing.Release(release.Sha256)["publishedByPerson"]!["issuer"]!);
        Assert.Equal("Sam Okafor", (string)listing["activations"]!.AsArray().Last()!["activatedByPerson"]!["name"]!);

        var audit = (await sam.GetOkAsync("/v1/rulepacks/audit"))["entries"]!.AsArray().Select(e => e!.AsObject())
            .Where(e => (string?)e["subject"] == release.Sha256).ToArray();
        Assert.Equal(["Sam Okafor", "Dana Reyes (author key)"], audit.Select(e => (string)e["person"]!["name"]!));
    }
}
