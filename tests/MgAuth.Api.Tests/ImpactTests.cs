extern alias cli;

using System.Text.RegularExpressions;
using MgAuth.Api.Tests.Support;
using Cli = cli::MgAuth.Cli.Cli;

namespace MgAuth.Api.Tests;

/// <summary>
/// The impact report of the 1.5 g/kg release counts exactly the stored decisions that would change: through
/// POST /v1/rulepacks/impact (on a published release that passed its cases) and through <c>mgauth rules impact --db</c> on the service's database.
/// </summary>
public sealed class ImpactTests : IAsyncLifetime
{
    // Its own service: the report covers every stored decision, so no other test's submissions may be in the database.
    private readonly MgAuthFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    /// <summary>
    /// 4 requests within the 1.5 g/kg vial-rounded ceiling (they stay approved) and 3 above it but within the 2 g/kg one
    /// (approved now, deny/pended under the candidate); see <see cref="CeilingRelease"/> for the arithmetic. One member each.
    /// </summary>
    private async Task<(string[] Unchanged, string[] Changing)> SubmitKnownSetAsync()
    {
        var provider = _factory.ProviderA;
        var stay = new[]
        {
            CeilingRelease.Request(CeilingRelease.MemberA, 24, 5),  // 120 g: exactly the new ceiling at DW 78.0
            CeilingRelease.Request(CeilingRelease.MemberA, 20, 5),  // 100 g
            CeilingRelease.Request(CeilingRelease.MemberB, 25, 5),  // 125 g: within at DW 82.3 only by vial rounding (123.45 → 125)
            CeilingRelease.Request(CeilingRelease.MemberB, 20, 4),  //  80 g
        };
        var change = new[]
        {
            CeilingRelease.Request(CeilingRelease.MemberA, 25, 5),  // 125 g > 120 g; ≤ 160 g
            CeilingRelease.Request(CeilingRelease.MemberA, 40, 4),  // 160 g: exactly the old ceiling at DW 78.0
            CeilingRelease.Request(CeilingRelease.MemberB, 33, 5),  // 165 g > 125 g; exactly the old ceiling at DW 82.3
        };
        var unchanged = new List<string>();
        var changing = new List<string>();
        foreach (var (requests, ids) in new[] { (stay, unchanged), (change, changing) })
            foreach (var request in requests)
            {
                var decision = await provider.SubmitCreatedAsync(request);
                Assert.Equal("approve", (string)decision["decision"]!);
                Assert.Equal("approved", (string)decision["status"]!);
                Assert.Contains("DOSE_WITHIN_COURSE_CEILING", decision.Codes());
                ids.Add((string)decision["authorizationId"]!);
            }
        return ([.. unchanged], [.. changing]);
    }

    /// <summary>
    /// Ids, exact counts and per-case reason codes only for callers who may read cases (an admin); a policy author gets
    /// counts only, and every count here (7 re-decided, 3 changed) is under 11, so each is "&lt;11".
    /// </summary>
    private static void AssertReport(JsonNode report, string candidateSha, string[] changing, bool perCase)
    {
        JsonNode Count(int exact) => perCase ? JsonValue.Create(exact) : JsonValue.Create("<11");
        void Is(int exact, JsonNode? actual) => Assert.True(JsonNode.DeepEquals(Count(exact), actual), $"expected {Count(exact)}, got {actual}");

        Assert.Equal(perCase, (bool)report["perCaseReasonCodes"]!);
        Assert.Equal(perCase, (bool)report["perCase"]!);
        Assert.True(JsonNode.DeepEquals(perCase ? null : JsonValue.Create(11), report["smallCountsHiddenBelow"]), report.ToJsonString());
        Assert.False((bool)report["releaseApproved"]!);
        Assert.Equal(candidateSha, (string)report["candidateSha256"]!);
        Is(7, report["redecided"]);
        Is(3, report["changed"]);
        Is(0, report["skipped"]);
        Is(0, report["failed"]);

        var transition = Assert.Single(report["transitions"]!.AsArray());
        Assert.Equal("approve/approved", (string)transition!["from"]!);
        Assert.Equal("deny/pended", (string)transition["to"]!);
        Is(3, transition["count"]);

        var byCode = report["byReasonCode"]!.AsArray().ToDictionary(r => (string)r!["code"]!, r => r!);
        Assert.Equal(["DOSE_ABOVE_COURSE_CEILING", "DOSE_WITHIN_COURSE_CEILING"], byCode.Keys.Order(StringComparer.Ordinal));
        Is(3, byCode["DOSE_ABOVE_COURSE_CEILING"]["added"]);
        Is(0, byCode["DOSE_ABOVE_COURSE_CEILING"]["removed"]);
        Is(0, byCode["DOSE_WITHIN_COURSE_CEILING"]["added"]);
        Is(3, byCode["DOSE_WITHIN_COURSE_CEILING"]["removed"]);

        var changes = report["changes"]!.AsArray();
        if (!perCase)
        {
            Assert.Empty(changes);
            Assert.All(changing, id => Assert.DoesNotContain(id, report.ToJsonString(), StringComparison.Ordinal));
            return;
        }
        Assert.Equal(changing.Order(StringComparer.Ordinal), changes.Select(c => (string)c!["authorizationId"]!).Order(StringComparer.Ordinal));
        foreach (var c in changes)
        {
            Assert.Equal("approve/approved", (string)c!["from"]!);
            Assert.Equal("deny/pended", (string)c["to"]!);
            Assert.Equal(["DOSE_ABOVE_COURSE_CEILING"], c["reasonsAdded"]!.AsArray().Select(x => (string)x!));
            Assert.Equal(["DOSE_WITHIN_COURSE_CEILING"], c["reasonsRemoved"]!.AsArray().Select(x => (string)x!));
        }
    }

    [Fact]
    public async Task The_impact_of_a_lower_course_ceiling_counts_exactly_the_decisions_it_changes()
    {
        var (_, changing) = await SubmitKnownSetAsync();
        var author = _factory.ClientFor(_factory.Keys.PolicyAuthor);
        var candidate = CeilingRelease.Files;
        var published = await author.PublishCreatedAsync(candidate, "course ceiling 1.5 g/kg");
        Assert.True((bool)published["valid"]!, published.ToJsonString());
        Assert.Equal(5, (int)published["casesPassed"]!);
        Assert.Equal(0, (int)published["casesFailed"]!);

        using var bySha = await author.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = candidate.Sha256 });
        Assert.Equal(HttpStatusCode.OK, bySha.StatusCode);
        AssertReport(await bySha.JsonAsync(), candidate.Sha256, changing, perCase: false);

        using var byAdmin = await _factory.ClientFor(_factory.Keys.Admin).PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = candidate.Sha256 });
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        AssertReport(await byAdmin.JsonAsync(), candidate.Sha256, changing, perCase: true);

        // An unpublished upload is not run: impact runs only on a release that compiled and passed its cases.
        using var byUpload = await author.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["upload"] = candidate.ToUpload() });
        var refused = await byUpload.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("publish the release first", (string)refused["errors"]!["candidate"]![0]!);

        // Narrowed to a policy nobody was decided under, or to decisions made after today: nothing to re-decide.
        using var restrictive = await author.PostJsonAsync("/v1/rulepacks/impact",
            new JsonObject { ["candidate"] = candidate.Sha256, ["policyId"] = "ivig-mg-restrictive" });
        var none = await restrictive.JsonAsync();
        Assert.Equal("<11", (string)none["redecided"]!);
        Assert.Equal("<11", (string)none["changed"]!);
        using var later = await author.PostJsonAsync("/v1/rulepacks/impact",
            new JsonObject { ["candidate"] = candidate.Sha256, ["since"] = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd") });
        Assert.Empty((await later.JsonAsync())["transitions"]!.AsArray());

        // Impact is a question, not a change: the stored decisions and the active release are as they were.
        Assert.Equal(3, _factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE status = 'approved' AND id IN (@a, @b, @c)",
            ("@a", changing[0]), ("@b", changing[1]), ("@c", changing[2])));
        Assert.Equal(ReleaseFiles.Repository.Sha256, (string)(await author.ListReleasesAsync())["activeRelease"]!);
    }

    [Fact]
    public async Task Mgauth_rules_impact_on_the_services_database_reports_the_same_changes()
    {
        var (unchanged, changing) = await SubmitKnownSetAsync();
        var temp = Path.Combine(_factory.Folder, "candidate");
        var (packFolder, policiesFolder) = CeilingRelease.Files.WriteTo(temp);

        // By default what a policy author sees: counts, each under 11 shown as "<11", and no case by id.
        var (exit, output, stderr) = await _factory.MgAuthCliAsync("rules", "impact", "--candidate", packFolder, "--policies", policiesFolder);
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{stderr}");
        Assert.Contains($"candidate {CeilingRelease.Files.Sha256[..12]}: <11 stored decision(s) re-decided, <11 would change", output);
        Assert.Contains("  approve/approved -> deny/pended: <11", output);
        Assert.Contains("  DOSE_ABOVE_COURSE_CEILING: +<11 -<11", output);
        Assert.All(changing.Concat(unchanged), id => Assert.DoesNotContain(id, output));

        // --per-case: the operator, who holds the database, sees each changed case.
        (exit, output, stderr) = await _factory.MgAuthCliAsync("rules", "impact", "--candidate", packFolder, "--policies", policiesFolder, "--per-case");
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{stderr}");
        Assert.Contains($"candidate {CeilingRelease.Files.Sha256[..12]}: 7 stored decision(s) re-decided, 3 would change", output);
        Assert.Contains("  approve/approved -> deny/pended: 3", output);
        Assert.Contains("  DOSE_ABOVE_COURSE_CEILING: +3 -0", output);
        Assert.Contains("  DOSE_WITHIN_COURSE_CEILING: +0 -3", output);
        var listed = Regex.Matches(output, @"^  (PA-\S+): (\S+) -> (\S+) \+\[(.*)\] -\[(.*)\]\r?$", RegexOptions.Multiline);
        Assert.Equal(changing.Order(StringComparer.Ordinal), listed.Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
        Assert.All(listed, m =>
        {
            Assert.Equal("approve/approved", m.Groups[2].Value);
            Assert.Equal("deny/pended", m.Groups[3].Value);
            Assert.Equal("DOSE_ABOVE_COURSE_CEILING", m.Groups[4].Value);
            Assert.Equal("DOSE_WITHIN_COURSE_CEILING", m.Groups[5].Value);
        });
        Assert.All(unchanged, id => Assert.DoesNotContain(id, output));

        // Both runs are audited, with what was shown, and the audit log (read by every staff role) holds no small count.
        var audit = (await _factory.ClientFor(_factory.Keys.PolicyAuthor).GetOkAsync("/v1/rulepacks/audit"))["entries"]!.AsArray()
            .Where(e => (string)e!["action"]! == "release.impact_run").Select(e => (string)e!["detail"]!).ToArray();
        Assert.Equal(2, audit.Length);
        Assert.All(audit, d => Assert.StartsWith("redecided <11, changed <11, skipped <11, failed <11; ", d));
        Assert.Contains(audit, d => d.Contains("shown per case", StringComparison.Ordinal));
        Assert.Contains(audit, d => d.Contains("shown counts only", StringComparison.Ordinal));
    }
}
