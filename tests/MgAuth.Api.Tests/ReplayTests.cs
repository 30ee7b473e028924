extern alias cli;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Replay;

using Cli = cli::MgAuth.Cli.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>Every stored decision can be reproduced from what decided it; a changed one is reported.</summary>
public sealed class ReplayTests
{
    /// <summary>A service with several cases (every example, a history-dependent one, a supplemented one); returns the supplemented id.</summary>
    private static async Task<string> PopulateAsync(MgAuthFactory factory)
    {
        var client = factory.ProviderA;
        foreach (var example in Examples.All)
            await client.SubmitCreatedAsync(Examples.ForNewMember(example));
        var member = Examples.NewMemberId();
        await client.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member));
        var overlapping = await client.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member));
        Assert.Contains("OVERLAPPING_AUTHORIZATION", overlapping.Codes());
        var pended = await client.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines());
        var id = (string)pended["authorizationId"]!;
        await client.SupplementOkAsync(id, Examples.BaselinesSupplement());
        return id;
    }

    private static async Task<(int Exit, string Output)> CliReplayAsync(MgAuthFactory factory)
    {
        var (exit, stdout, stderr) = await factory.MgAuthCliAsync("replay");
        return (exit, stdout + stderr);
    }

    [Fact]
    public async Task Every_stored_decision_replays_identically()
    {
        await using var factory = new MgAuthFactory();
        await PopulateAsync(factory);
        var revisions = factory.CountRows().Revisions;

        var report = await factory.Services.GetRequiredService<Replayer>().ReplayAsync();

        Assert.Empty(report.Differences);
        Assert.Equal(revisions, report.Replayed);
        Assert.Equal(report.Replayed, report.Identical);
        Assert.Equal(10, report.Replayed); // 6 examples + 2 for the overlap + 2 revisions of the supplemented case

        var (exit, output) = await CliReplayAsync(factory);
        Assert.True(exit == 0, output);
        Assert.Contains($"replayed {revisions} decision(s): {revisions} identical, 0 different", output);
    }

    // Fixtures/pre-nrules.db.gz: the demo data and all 156 pack cases' requests, submitted to the service
    // built from the last commit on the retired in-house engine (pack e8a3b454…), two provider organizations.
    [Fact]
    public async Task Decisions_stored_before_the_move_to_NRules_replay_on_the_port_identically_but_for_another_organizations_approvals()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mgauth-pre-nrules-{Guid.NewGuid():N}.db");
        await using (var packed = new System.IO.Compression.GZipStream(
            File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "pre-nrules.db.gz")), System.IO.Compression.CompressionMode.Decompress))
        await using (var file = File.Create(path))
            await packed.CopyToAsync(file);
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await Cli.RunAsync(["replay", "--db", path], new StringReader(""), stdout, stderr);

            // Every decision replays the same but the three that weighed another organization's approval (OVERLAPPING_AUTHORIZATION
            // under the old H2): issue 18 no longer decides on another organization's record, and those stored policy
            // versions predate AUTHORIZATION_HELD_ELSEWHERE, so the record is not weighed there at all.
            var output = stdout + stderr.ToString();
            Assert.NotEqual(0, exit);
            Assert.Contains("replayed 162 decision(s): 159 identical, 3 different", output);
            var differing = output.Split('\n').Where(l => l.StartsWith("DIFFERS ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(3, differing.Length);
            Assert.All(differing, l => Assert.Matches(@"stored review/pended with \[[A-Z_, ]*OVERLAPPING_AUTHORIZATION\]; replayed approve/approved with \[[A-Z_, ]*\]$", l.TrimEnd()));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }

    // A policy author publishes (but nobody activates) a pack claiming to be the port of the pack in force:
    // the decisions that pack made must still be explained and replayed by that pack, not the claimant.
    [Fact]
    public async Task A_published_pack_cannot_take_over_the_replay_of_a_pack_that_still_runs()
    {
        await using var factory = new MgAuthFactory();
        var stored = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        var repository = ReleaseFiles.Repository;
        var claimant = repository
            .WithPackFile("pack.yaml", repository.Pack["pack.yaml"].Split("supersedes:")[0]
                + $"supersedes:\n  - {repository.PackSha256}\n")
            .WithPackFile("ClaimantProbe.cs", """
                namespace MgAuth.Rules.IvigMg;

                [PolicyRow("§test", "never fires")]
                public sealed class ClaimantProbe : Rule
                {
                    public override void Define()
                    {
                        Member m = null!;
                        When().Match(() => m, m => m.Age < 0);
                        Then().Do(ctx => ctx.Insert(new DocumentedWorsening("never")));
                    }
                }
                """);
        await factory.ClientFor(factory.Keys.PolicyAuthor).PublishCreatedAsync(claimant, "claims to port the pack in force");

        var explained = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{(string)stored["authorizationId"]!}/explain");
        var report = await factory.Services.GetRequiredService<Replayer>().ReplayAsync();

        Assert.DoesNotContain(explained["explain"]!.AsArray(), e => (string)e!["rule"]! == "ClaimantProbe");
        Assert.Empty(report.Differences);
    }

    [Fact]
    public async Task A_tampered_decision_is_reported()
    {
        await using var factory = new MgAuthFactory();
        var supplemented = await PopulateAsync(factory);
        var untouched = (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Crisis)))["authorizationId"]!;

        var changed = factory.Execute(
            "UPDATE revisions SET decision_json = replace(decision_json, '\"decision\":\"approve\"', '\"decision\":\"deny\"') " +
            "WHERE authorization_id = @id AND revision = 2", ("@id", supplemented));
        Assert.Equal(1, changed);

        var report = await factory.Services.GetRequiredService<Replayer>().ReplayAsync();

        var difference = Assert.Single(report.Differences);
        Assert.Equal(supplemented, difference.AuthorizationId);
        Assert.Equal(2, difference.Revision);
        Assert.StartsWith("stored deny/", difference.Detail);
        Assert.DoesNotContain(report.Differences, d => d.AuthorizationId == untouched);

        var (exit, output) = await CliReplayAsync(factory);
        Assert.NotEqual(0, exit);
        Assert.Contains($"DIFFERS {supplemented} revision 2", output);
        Assert.Contains("1 different", output);

        var one = await factory.Services.GetRequiredService<Replayer>().ReplayAsync(untouched);
        Assert.Equal(1, one.Replayed);
        Assert.Empty(one.Differences);
    }

    [Fact]
    public async Task A_tampered_reason_list_is_reported_even_when_the_outcome_is_the_same()
    {
        await using var factory = new MgAuthFactory();
        var id = (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation)))["authorizationId"]!;

        Assert.Equal(1, factory.Execute(
            "UPDATE revisions SET decision_json = replace(decision_json, 'INDICATION_EXACERBATION_MET', 'INDICATION_CRISIS_MET') WHERE authorization_id = @id",
            ("@id", id)));

        var report = await factory.Services.GetRequiredService<Replayer>().ReplayAsync();
        Assert.Equal(id, Assert.Single(report.Differences).AuthorizationId);
    }

    // The restrictive policy extends the standard one: what is stored for it is the resolved document, which replays alone.
    [Fact]
    public async Task A_decision_under_a_policy_that_extends_another_replays_from_its_stored_source()
    {
        await using var factory = new MgAuthFactory();
        var request = Examples.ForNewMember(Examples.RefractoryMaintenance);
        request["policyId"] = "ivig-mg-restrictive";
        var decision = await factory.ProviderA.SubmitCreatedAsync(request);
        Assert.Contains("CHRONIC_MAINTENANCE_NOT_COVERED", decision.Codes());
        var sha = (string)decision["policy"]!["sha256"]!;
        Assert.Equal(1, factory.ScalarLong("SELECT count(*) FROM policy_versions WHERE sha256 = @sha AND source NOT LIKE '%extends:%'", ("@sha", sha)));

        var report = await factory.Services.GetRequiredService<Replayer>().ReplayAsync((string)decision["authorizationId"]!);

        Assert.Equal(1, report.Replayed);
        Assert.Empty(report.Differences);
    }
}
