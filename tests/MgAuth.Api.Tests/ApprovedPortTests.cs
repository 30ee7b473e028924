using System.Text;
using System.Text.Json;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Replay;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MgAuth.Api.Tests;

/// <summary>
/// Explain and replay load only approved code. When the pack that decided a case no longer loads (as every pack of an
/// older pack language will not), its decisions are explained and replayed by a port — but only the pack in force or
/// that of a release an approver once activated; never an upload merely published or refused, whatever its pack.yaml
/// claims, and a pack.yaml that does not read is skipped with a warning instead of failing every explanation.
/// </summary>
public sealed class ApprovedPortTests
{
    /// <summary>The service with a log provider that keeps every line.</summary>
    private sealed class LoggedFactory : MgAuthFactory
    {
        public CapturingLoggerProvider Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(l => l.AddProvider(Logs));
        }
    }

    private static readonly ReleaseFiles Repository = ReleaseFiles.Repository;

    /// <summary>The repository's release, its pack.yaml claiming to be the port of <paramref name="packSha"/> (and saying so in its description).</summary>
    private static ReleaseFiles ClaimingToPort(string packSha, string description) => Repository.WithPackFile("pack.yaml",
        $"id: ivig-mg\nversion: 2.0.0\ndescription: {description}\nsupersedes:\n  - {packSha}\n");

    /// <summary>The stored source of a pack changed in the database, as a pack the engine can no longer run.</summary>
    private static void RewriteStoredPack(MgAuthFactory factory, string packSha, string path, string text)
    {
        using var connection = factory.OpenDatabase();
        string json;
        using (var read = MgAuthFactory.Command(connection, "SELECT files_json FROM rule_pack_versions WHERE sha256 = @sha", ("@sha", packSha)))
            json = (string)read.ExecuteScalar()!;
        var files = JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
        files[path] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        using var write = MgAuthFactory.Command(connection, "UPDATE rule_pack_versions SET files_json = @files WHERE sha256 = @sha",
            ("@files", JsonSerializer.Serialize(files)), ("@sha", packSha));
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    [Fact]
    public async Task An_unapproved_or_refused_upload_claiming_to_port_the_active_pack_never_explains_or_replays_its_decisions()
    {
        await using var factory = new MgAuthFactory();
        var author = factory.ClientFor(factory.Keys.PolicyAuthor);
        var approver = factory.ClientFor(factory.Keys.PolicyApprover);
        var id = (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation)))["authorizationId"]!;

        // Published and valid, never approved; and published and refused (it does not compile): both claim the active pack.
        var claimant = ClaimingToPort(Repository.PackSha256, "claims to port the pack in force");
        await author.PublishCreatedAsync(claimant, "claimant");
        var refused = ClaimingToPort(Repository.PackSha256, "refused claimant").WithPackFile("Broken.cs", "namespace X; class {");
        using (var publish = await author.PublishAsync(refused))
            await publish.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        // The pack that decided the case no longer loads.
        RewriteStoredPack(factory, Repository.PackSha256, "NoLongerCompiles.cs", "namespace X; class {");

        using (var explain = await factory.ProviderA.GetAsync($"/v1/authorizations/{id}/explain"))
            Assert.Contains("no pack declares itself its port", (string)(await explain.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!);
        var report = await factory.Services.GetRequiredService<Replayer>().ReplayAsync(id);
        Assert.Contains("no pack declares itself its port", Assert.Single(report.Differences).Detail);
        var (exit, output, _) = await factory.MgAuthCliAsync("replay", "--id", id);
        Assert.NotEqual(0, exit);
        Assert.Contains("1 different", output);

        // An approver activates a port; rolled back since, it is still approved code, and now explains and replays the case.
        var port = ClaimingToPort(Repository.PackSha256, "approved port");
        await author.PublishCreatedAsync(port, "port");
        await approver.ActivateOkAsync(port.Sha256);
        using (var rollback = await approver.RollbackAsync())
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        Assert.Equal(Repository.Sha256, (string)(await author.ListReleasesAsync())["activeRelease"]!);

        var explained = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{id}/explain");
        Assert.NotEmpty(explained["explain"]!.AsArray());
        Assert.Empty((await factory.Services.GetRequiredService<Replayer>().ReplayAsync(id)).Differences);
    }

    [Fact]
    public async Task A_pack_yaml_that_does_not_read_is_skipped_with_a_warning_and_explain_and_replay_still_answer()
    {
        await using var factory = new LoggedFactory();
        var author = factory.ClientFor(factory.Keys.PolicyAuthor);
        var request = Examples.ForNewMember(Examples.Exacerbation);
        var memberId = (string)request["member"]!["id"]!;
        var id = (string)(await factory.ProviderA.SubmitCreatedAsync(request))["authorizationId"]!;

        // An upload whose pack.yaml is not YAML (refused at publish, but stored), and the active pack's own pack.yaml broken in
        // the database: an approved candidate whose manifest does not read.
        var malformed = Repository.WithPackFile("pack.yaml", "id: [ivig-mg\nsupersedes: {\n");
        using (var publish = await author.PublishAsync(malformed))
            await publish.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        RewriteStoredPack(factory, Repository.PackSha256, "pack.yaml", "id: [ivig-mg\nsupersedes: {\n");

        using (var explain = await factory.ProviderA.GetAsync($"/v1/authorizations/{id}/explain"))
            await explain.AssertProblemAsync(HttpStatusCode.Conflict);
        var report = await factory.Services.GetRequiredService<Replayer>().ReplayAsync();
        Assert.Equal(id, Assert.Single(report.Differences).AuthorizationId);

        var warnings = factory.Logs.Lines.Where(l => l.StartsWith("Warning MgAuth.Cases.Replay.Replayer", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w => Assert.Contains($"Approved pack {Repository.PackSha256[..12]} is not considered as a port", w));
        var leaks = factory.Logs.Lines.Where(l => l.Contains(memberId, StringComparison.Ordinal)).ToArray();
        Assert.True(leaks.Length == 0, string.Join("\n", leaks));

        // The service goes on answering: the case reads as stored, and a new one is decided by the pack in force.
        await factory.ProviderA.GetOkAsync($"/v1/authorizations/{id}");
        await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Crisis));
    }
}
