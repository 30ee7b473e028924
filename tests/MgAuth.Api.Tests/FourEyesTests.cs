using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>
/// Four eyes on the rules in force: a policy approver activates, never the person who published the
/// release (not even with a second key), and publishing, activating, rolling back and impact runs are
/// in the audit log: who, which release, when — each in the same transaction as the change it records. A service of its
/// own per test: they change the active release.
/// </summary>
public sealed class FourEyesTests : IAsyncLifetime
{
    private readonly MgAuthFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    private static ReleaseFiles Unique() =>
        CeilingRelease.Files.WithPackFile("pack.yaml", CeilingRelease.Files.Pack["pack.yaml"] + $"\n# {Guid.NewGuid():N}\n");

    [Fact]
    public async Task One_person_holding_an_author_key_and_an_approver_key_cannot_activate_their_own_release()
    {
        var keys = _factory.Services.GetRequiredService<ApiKeys>();
        var asAuthor = _factory.ClientFor(keys.Create(TestKeys.Plan, Roles.PolicyAuthor, "Dana Reyes", personId: "P-123"));
        var asApprover = _factory.ClientFor(keys.Create(TestKeys.Plan, Roles.PolicyApprover, "Approvals desk", personId: "p-123"));
        var release = Unique();
        await asAuthor.PublishCreatedAsync(release);

        using (var own = await asApprover.ActivateAsync(release.Sha256))
        {
            var problem = await own.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("published by you", (string)problem["detail"]!);
        }
        Assert.Equal(ReleaseFiles.Repository.Sha256, (string)(await asAuthor.ListReleasesAsync())["activeRelease"]!);

        // Another person approves it.
        await _factory.ClientFor(_factory.Keys.PolicyApprover).ActivateOkAsync(release.Sha256);
        Assert.Equal(release.Sha256, (string)(await asAuthor.ListReleasesAsync())["activeRelease"]!);
    }

    [Fact]
    public async Task An_author_key_with_an_NPI_and_an_approver_key_of_the_same_name_without_one_are_one_person_by_their_person_id()
    {
        // The attack: the publisher was recorded as "npi:…", the approver as "name:…", and the two never compared equal.
        var keys = _factory.Services.GetRequiredService<ApiKeys>();
        var asAuthor = _factory.ClientFor(keys.Create(TestKeys.Plan, Roles.PolicyAuthor, "Dana Reyes", npi: "1003000126", personId: "P-77"));
        var asSamePerson = _factory.ClientFor(keys.Create(TestKeys.Plan, Roles.PolicyApprover, "Dana Reyes", personId: "P-77"));
        var release = Unique();
        await asAuthor.PublishCreatedAsync(release);

        using (var own = await asSamePerson.ActivateAsync(release.Sha256))
            Assert.Contains("published by you", (string)(await own.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!);

        // The same name and NPI on keys of two different persons do not stop the other person: person ids alone decide.
        var namesake = _factory.ClientFor(keys.Create(TestKeys.Plan, Roles.PolicyApprover, "Dana Reyes", npi: "1003000126", personId: "P-78"));
        await namesake.ActivateOkAsync(release.Sha256);
        Assert.Equal(release.Sha256, (string)(await asAuthor.ListReleasesAsync())["activeRelease"]!);
    }

    [Fact]
    public async Task Keys_issued_before_keys_named_persons_sign_nobody_in_so_they_may_neither_publish_nor_activate()
    {
        var keys = _factory.Services.GetRequiredService<ApiKeys>();
        var author = keys.Create(TestKeys.Plan, Roles.PolicyAuthor, "Old author key", personId: "P-old-author");
        var approver = keys.Create(TestKeys.Plan, Roles.PolicyApprover, "Old approver key", personId: "P-old-approver");
        // As the migration leaves a key issued before it.
        _factory.Execute("UPDATE api_keys SET person_id = NULL WHERE id IN (@a, @b)", ("@a", author.Record.Id), ("@b", approver.Record.Id));
        var release = Unique();

        using (var publish = await _factory.ClientFor(author).PublishAsync(release))
            Assert.Contains("--person", (string)(await publish.AssertProblemAsync(HttpStatusCode.Unauthorized))["detail"]!);
        Assert.Equal(0, _factory.ScalarLong("SELECT COUNT(*) FROM rule_releases WHERE sha256 = @s", ("@s", release.Sha256)));

        await _factory.ClientFor(_factory.Keys.PolicyAuthor).PublishCreatedAsync(release);
        using (var activate = await _factory.ClientFor(approver).ActivateAsync(release.Sha256))
            Assert.Equal("This key names no person", (string)(await activate.AssertProblemAsync(HttpStatusCode.Unauthorized))["title"]!);
        Assert.Equal(ReleaseFiles.Repository.Sha256, (string)(await _factory.ClientFor(_factory.Keys.PolicyAuthor).ListReleasesAsync())["activeRelease"]!);
    }

    [Fact]
    public async Task A_release_published_before_keys_named_persons_is_not_activated_until_published_again()
    {
        var release = Unique();
        await _factory.ClientFor(_factory.Keys.PolicyAuthor).PublishCreatedAsync(release);
        // As the migration leaves a release published by a key before: its publisher kept as "npi:…" or "name:…".
        _factory.Execute("UPDATE rule_releases SET publisher_person = 'name:dana reyes' WHERE sha256 = @s", ("@s", release.Sha256));

        using var activate = await _factory.ClientFor(_factory.Keys.PolicyApprover).ActivateAsync(release.Sha256);
        Assert.Contains("before keys named persons", (string)(await activate.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!);
    }

    [Fact]
    public async Task Publishing_activating_rolling_back_and_impact_runs_are_in_the_audit_log()
    {
        var author = _factory.ClientFor(_factory.Keys.PolicyAuthor);
        var approver = _factory.ClientFor(_factory.Keys.PolicyApprover);
        var request = Examples.ForNewMember(Examples.Exacerbation);
        await _factory.ProviderA.SubmitCreatedAsync(request);
        var release = Unique();

        await author.PublishCreatedAsync(release);
        using (var impact = await author.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = release.Sha256 }))
            Assert.Equal(HttpStatusCode.OK, impact.StatusCode);
        await approver.ActivateOkAsync(release.Sha256, note: "committee 2026-12");
        using (var rollback = await approver.RollbackAsync())
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);

        var entries = (await author.GetOkAsync("/v1/rulepacks/audit"))["entries"]!.AsArray().Reverse().Select(e => e!.AsObject())
            .Where(e => (string)e["actor"]! != "repository").ToArray();
        Assert.Equal(["release.published", "release.impact_run", "release.activated", "release.rolled_back"],
            entries.Select(e => (string)e["action"]!));
        Assert.Equal([_factory.Keys.PolicyAuthor.Record.Id, _factory.Keys.PolicyAuthor.Record.Id, _factory.Keys.PolicyApprover.Record.Id,
            _factory.Keys.PolicyApprover.Record.Id], entries.Select(e => (string)e["actor"]!));
        Assert.Equal(["Policy author", "Policy author", "Policy approver", "Policy approver"], entries.Select(e => (string)e["person"]!["name"]!));
        Assert.Equal([TestKeys.AuthorPerson, TestKeys.AuthorPerson, "P-approver", "P-approver"], entries.Select(e => (string)e["person"]!["subject"]!));
        Assert.Equal([release.Sha256, release.Sha256, release.Sha256, ReleaseFiles.Repository.Sha256], entries.Select(e => (string)e["subject"]!));
        Assert.All(entries, e => Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)e["at"]!, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(5)));
        // Counts as an author sees them: the audit log is read by every staff role, so it holds no count under 11 either.
        Assert.Contains("redecided <11, changed <11", (string)entries[1]["detail"]!);
        Assert.Contains("shown counts only", (string)entries[1]["detail"]!);
        Assert.Contains("committee 2026-12", (string)entries[2]["detail"]!);
        // No member data in the log: ids, hashes and counts only.
        var memberId = (string)request["member"]!["id"]!;
        Assert.DoesNotContain(entries, e => e.ToJsonString().Contains(memberId, StringComparison.Ordinal));
    }

    // A release change and its audit entry are one transaction: when the audit entry cannot be written (a trigger refuses
    // it, on either provider), nothing of the change is stored either, and the request answers 503.
    [Fact]
    public async Task A_publish_whose_audit_entry_cannot_be_written_leaves_no_release()
    {
        var author = _factory.ClientFor(_factory.Keys.PolicyAuthor);
        var release = Unique();
        RefuseAudit(AuditActions.ReleasePublished);

        using (var refused = await author.PublishAsync(release))
            await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(0, Count("rule_releases", release.Sha256));
        Assert.Equal(0, _factory.ScalarLong("SELECT COUNT(*) FROM rule_pack_versions WHERE sha256 = @sha", ("@sha", release.PackSha256)));
        Assert.Equal(0, _factory.ScalarLong("SELECT COUNT(*) FROM audit_log WHERE subject = @sha", ("@sha", release.Sha256)));

        AllowAudit();
        await author.PublishCreatedAsync(release);
        Assert.Equal(1, Count("rule_releases", release.Sha256));
        Assert.Equal(1, _factory.ScalarLong("SELECT COUNT(*) FROM audit_log WHERE subject = @sha AND action = @action",
            ("@sha", release.Sha256), ("@action", AuditActions.ReleasePublished)));
    }

    [Fact]
    public async Task An_activation_whose_audit_entry_cannot_be_written_is_not_recorded_and_changes_nothing()
    {
        var release = Unique();
        await _factory.ClientFor(_factory.Keys.PolicyAuthor).PublishCreatedAsync(release);
        var approver = _factory.ClientFor(_factory.Keys.PolicyApprover);
        RefuseAudit(AuditActions.ReleaseActivated);

        using (var refused = await approver.ActivateAsync(release.Sha256))
            await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(0, _factory.ScalarLong("SELECT COUNT(*) FROM activations WHERE release_sha256 = @sha", ("@sha", release.Sha256)));
        Assert.Equal(ReleaseFiles.Repository.Sha256, (string)(await approver.ListReleasesAsync())["activeRelease"]!);

        AllowAudit();
        await approver.ActivateOkAsync(release.Sha256);
        Assert.Equal(1, _factory.ScalarLong("SELECT COUNT(*) FROM activations WHERE release_sha256 = @sha", ("@sha", release.Sha256)));
    }

    private long Count(string table, string sha256) =>
        _factory.ScalarLong($"SELECT COUNT(*) FROM {table} WHERE sha256 = @sha", ("@sha", sha256));

    // The audit log refuses entries of one action, as a full disk or a broken audit table would refuse them all.
    private void RefuseAudit(string action)
    {
        if (TestStorage.IsPostgres)
        {
            _factory.Execute("CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$");
            _factory.Execute($"CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = '{action}') EXECUTE FUNCTION refuse_audit()");
            return;
        }
        _factory.Execute($"CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.action = '{action}' BEGIN SELECT RAISE(ABORT, 'audit refused'); END");
    }

    private void AllowAudit() => _factory.Execute("DROP TRIGGER refuse_audit" + (TestStorage.IsPostgres ? " ON audit_log" : ""));
}
