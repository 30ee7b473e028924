using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;

namespace MgAuth.Api.Tests;

/// <summary>
/// A release change and its audit entry are one transaction: when the audit entry cannot be written, nothing of the
/// change is stored either (no release, no pack or policy version; no activation), and the request answers 503.
/// The audit write is made to fail by a trigger, on either provider. A service of its own per test.
/// </summary>
public sealed class ReleaseAtomicityTests : IAsyncLifetime
{
    private readonly MgAuthFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    private static ReleaseFiles Unique() =>
        CeilingRelease.Files.WithPackFile("pack.yaml", CeilingRelease.Files.Pack["pack.yaml"] + $"\n# {Guid.NewGuid():N}\n");

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
