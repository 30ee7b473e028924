using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>
/// Four eyes on the rules in force: a policy approver activates, never the person who published the
/// release (not even with a second key), and publishing, activating, rolling back and impact runs are
/// in the audit log: who, which release, when. A service of its own per test: they change the active release.
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
        var keys = _factory.Services.GetRequiredService<ApiKeyStore>();
        var asAuthor = _factory.ClientFor(keys.Create(TestKeys.Plan, Roles.PolicyAuthor, "Dana Reyes"));
        var asApprover = _factory.ClientFor(keys.Create(TestKeys.Plan, Roles.PolicyApprover, "  dana   REYES "));
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
}
