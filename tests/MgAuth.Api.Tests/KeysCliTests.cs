extern alias cli;

using System.Text.RegularExpressions;
using Cli = cli::MgAuth.Cli.Cli;
using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary><c>mgauth keys create/revoke --db</c> work on the service's own database while it runs.</summary>
public sealed class KeysCliTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private Task<(int Exit, string Out, string Err)> MgAuthAsync(params string[] args) => factory.MgAuthCliAsync(args);

    [Fact]
    public async Task A_key_created_by_the_cli_works_against_the_service_until_revoked_by_the_cli()
    {
        _ = factory.Services; // the service is up and owns the database

        var (exit, created, err) = await MgAuthAsync("keys", "create", "--org", "cli-clinic", "--role", "provider", "--npi", "1234567893", "--name", "CLI portal");
        Assert.True(exit == 0, err);
        var keyId = Regex.Match(created, @"key id: (\S+)").Groups[1].Value;
        var secret = Regex.Match(created, @"secret: (\S+)").Groups[1].Value;
        Assert.StartsWith("key_", keyId);
        Assert.StartsWith($"mga_{keyId}_", secret); // the key carries its id (issue 18)
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM api_keys WHERE key_hash = @s OR name = @s OR id = @s", ("@s", secret)));
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM api_keys WHERE id = @id AND organization_id = 'cli-clinic' AND role = 'provider'", ("@id", keyId)));

        var client = factory.ClientWithSecret(secret);
        var decision = await client.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE id = @id AND organization_id = 'cli-clinic'",
            ("@id", (string)decision["authorizationId"]!)));

        var (revokeExit, revoked, revokeErr) = await MgAuthAsync("keys", "revoke", keyId);
        Assert.True(revokeExit == 0, revokeErr);
        Assert.Contains($"revoked {keyId}", revoked);
        factory.ForgetCachedKeys();

        using var refused = await client.GetAsync("/v1/authorizations");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_staff_key_created_by_the_cli_has_its_role()
    {
        var (exit, created, err) = await MgAuthAsync("keys", "create", "--org", "plan", "--role", "policy_author", "--person", "P-cli-author");
        Assert.True(exit == 0, err);
        var keyId = Regex.Match(created, @"key id: (\S+)").Groups[1].Value;
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM api_keys WHERE id = @id AND person_id = 'P-cli-author'", ("@id", keyId)));
        var client = factory.ClientWithSecret(Regex.Match(created, @"secret: (\S+)").Groups[1].Value);

        using (var policies = await client.GetAsync("/v1/policies")) Assert.Equal(HttpStatusCode.OK, policies.StatusCode);
        using var submit = await client.SubmitAsync(Examples.ForNewMember(Examples.Exacerbation));
        await submit.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_staff_key_names_its_person_at_the_identity_provider_and_acts_as_that_person()
    {
        var (exit, created, err) = await MgAuthAsync("keys", "create", "--org", "plan", "--role", "reviewer", "--name", "Riley Chen (key)",
            "--person", "u-riley", "--person-issuer", "https://login.plan.example/realms/staff");
        Assert.True(exit == 0, err);
        Assert.Contains("person: u-riley at https://login.plan.example/realms/staff", created);
        var viewer = (await factory.ClientWithSecret(Regex.Match(created, @"secret: (\S+)").Groups[1].Value).QueueAsync())["viewer"]!;
        Assert.Equal("Riley Chen (key)", (string)viewer["name"]!);
        Assert.Equal("https://login.plan.example/realms/staff", (string)viewer["person"]!["issuer"]!);
        Assert.Equal("u-riley", (string)viewer["person"]!["subject"]!);

        // An issuer that is not a URL, or one without a person, is a usage error.
        var (badExit, _, badErr) = await MgAuthAsync("keys", "create", "--org", "plan", "--role", "reviewer", "--person", "u-x", "--person-issuer", "not a url");
        Assert.Equal(2, badExit);
        Assert.Contains("--person-issuer", badErr);
    }

    [Theory]
    [InlineData("policy_author")]
    [InlineData("policy_approver")]
    [InlineData("reviewer")]
    [InlineData("clinician")]
    [InlineData("admin")]
    public async Task A_staff_key_without_a_person_is_a_usage_error(string role)
    {
        var before = factory.ScalarLong("SELECT COUNT(*) FROM api_keys");
        var (exit, created, err) = await MgAuthAsync("keys", "create", "--org", "plan", "--role", role, "--name", "Dana Reyes");
        Assert.Equal(Cli.Rejected, exit);
        Assert.Contains("--person", err);
        Assert.DoesNotContain("secret:", created);
        Assert.Equal(before, factory.ScalarLong("SELECT COUNT(*) FROM api_keys"));

        var (badExit, _, badErr) = await MgAuthAsync("keys", "create", "--org", "plan", "--role", role, "--person", "Dana Reyes");
        Assert.Equal(Cli.Rejected, badExit);
        Assert.Contains("person id", badErr);
    }

    [Theory]
    [InlineData("clinician")]
    [InlineData("reviewer")]
    [InlineData("admin")]
    public async Task A_staff_key_stored_without_a_person_is_refused_and_acts_on_nothing(string role)
    {
        // A key issued before staff keys named persons (or one whose person was struck out): whatever it did would be
        // recorded as done by a key, so it signs nobody in.
        var key = factory.NewPlanKey(role, role == "clinician" ? "1555555552" : null);
        factory.Execute("UPDATE api_keys SET person_id = NULL, person_issuer = NULL WHERE id = @id", ("@id", key.Record.Id));
        factory.ForgetCachedKeys();
        var pended = await factory.PendedDenyAsync();
        var history = factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id", ("@id", pended.Id()));

        var client = factory.ClientFor(key);
        using var queue = await client.GetAsync("/v1/review-queue");
        var problem = await queue.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("This key names no person", (string)problem["title"]!);
        Assert.Contains("--person", (string)problem["detail"]!);
        using var claim = await client.PostAsync($"/v1/authorizations/{pended.Id()}/claim", null);
        await claim.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(history, factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id", ("@id", pended.Id())));
    }

    [Fact]
    public async Task An_unknown_role_is_a_usage_error()
    {
        var (exit, _, err) = await MgAuthAsync("keys", "create", "--org", "x", "--role", "superuser");
        Assert.Equal(Cli.Rejected, exit);
        Assert.Contains("role must be one of", err);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_a_usage_error()
    {
        var (exit, _, err) = await MgAuthAsync("keys", "revoke", "key_nope");
        Assert.Equal(Cli.Rejected, exit);
        Assert.Contains("no active key", err);
    }
}
