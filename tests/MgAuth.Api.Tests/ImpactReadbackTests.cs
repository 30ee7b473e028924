using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Releases;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>
/// Issue 18's attack in miniature: 33 rounds of publish + impact read every member id back from per-case outcomes
/// listed by authorization id. An author or approver now gets counts only, under 11 as "&lt;11", and a limited number
/// of runs a day; only a role that may read cases sees ids.
/// </summary>
public sealed class ImpactReadbackTests
{
    /// <summary>The service letting a person run <see cref="PerDay"/> impact analyses a day.</summary>
    private sealed class ImpactLimitedFactory : MgAuthFactory
    {
        public const int PerDay = 2;

        protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
            [new("Releases:ImpactRunsPerDay", PerDay.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static async Task<JsonNode> ImpactOkAsync(HttpClient client, string sha)
    {
        using var response = await client.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = sha });
        var report = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"impact: {(int)response.StatusCode} {report}");
        return report;
    }

    private static async Task<string> SubmitApprovedAsync(MgAuthFactory factory, (string, decimal, decimal) member, int gramsPerDay, int days)
    {
        var decision = await factory.ProviderA.SubmitCreatedAsync(CeilingRelease.Request(member, gramsPerDay, days));
        Assert.Equal("approved", (string)decision["status"]!);
        return (string)decision["authorizationId"]!;
    }

    [Fact]
    public async Task Two_impact_runs_around_one_cases_fact_bit_cannot_read_that_cases_outcome_back()
    {
        await using var factory = new MgAuthFactory();
        Assert.Equal(ImpactRunQuota.DefaultPerDay, factory.Services.GetRequiredService<ImpactRunQuota>().PerDay);
        Assert.Equal(20, ImpactRunQuota.DefaultPerDay);
        var author = factory.ClientFor(factory.Keys.PolicyAuthor);
        var approver = factory.ClientFor(factory.Keys.PolicyApprover);

        // The candidate's outcome for each stored case turns on one fact of it: is the course above 1.5 g/kg of dosing weight?
        var stays = await SubmitApprovedAsync(factory, CeilingRelease.MemberA, 20, 5);    // 100 g ≤ 120 g
        var changes = await SubmitApprovedAsync(factory, CeilingRelease.MemberA, 25, 5);  // 125 g > 120 g
        await author.PublishCreatedAsync(CeilingRelease.Files, "the bit: above 1.5 g/kg");

        var before = await ImpactOkAsync(author, CeilingRelease.Files.Sha256);
        // The target: a case whose bit is set (165 g > 125 g at DW 82.3 kg). Differencing the runs before and after it
        // (or two packs that split on its bit) is how per-case outcomes were read back.
        var target = await SubmitApprovedAsync(factory, CeilingRelease.MemberB, 33, 5);
        var after = await ImpactOkAsync(author, CeilingRelease.Files.Sha256);
        var byApprover = await ImpactOkAsync(approver, CeilingRelease.Files.Sha256);

        // The two runs answer the same, to the byte: nothing in them says whether the target changes.
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        Assert.Equal(after.ToJsonString(), byApprover.ToJsonString());
        foreach (var report in new[] { before, after, byApprover })
        {
            var json = report.ToJsonString();
            Assert.All(new[] { stays, changes, target }, id => Assert.DoesNotContain(id, json, StringComparison.Ordinal));
            Assert.Empty(report["changes"]!.AsArray());
            Assert.False((bool)report["perCase"]!);
            Assert.Equal(11, (int)report["smallCountsHiddenBelow"]!);
            Assert.Equal("<11", (string)report["changed"]!);
            Assert.Equal("<11", (string)Assert.Single(report["transitions"]!.AsArray())!["count"]!);
            Assert.All(report["byReasonCode"]!.AsArray(), r =>
            {
                Assert.Equal("<11", (string)r!["added"]!);
                Assert.Equal("<11", (string)r["removed"]!);
            });
        }

        // A role that may read the cases anyway sees them: the target's id among the changed, exact counts.
        var byAdmin = await ImpactOkAsync(factory.ClientFor(factory.Keys.Admin), CeilingRelease.Files.Sha256);
        Assert.True((bool)byAdmin["perCase"]!);
        Assert.Equal(2, (int)byAdmin["changed"]!);
        Assert.Equal(3, (int)byAdmin["redecided"]!);
        Assert.Equal(new[] { changes, target }.Order(StringComparer.Ordinal),
            byAdmin["changes"]!.AsArray().Select(c => (string)c!["authorizationId"]!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(stays, byAdmin.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_past_the_daily_impact_limit_is_answered_429_and_every_run_is_audited()
    {
        await using var factory = new ImpactLimitedFactory();
        var author = factory.ClientFor(factory.Keys.PolicyAuthor);
        await author.PublishCreatedAsync(CeilingRelease.Files);
        var sha = CeilingRelease.Files.Sha256;

        for (var run = 1; run <= ImpactLimitedFactory.PerDay; run++) await ImpactOkAsync(author, sha);
        using (var over = await author.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = sha }))
        {
            var problem = await over.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal("https://mgauth.dev/problems/impact-limit-reached", (string)problem["type"]!);
            var retry = Assert.Single(over.Headers.GetValues("Retry-After"));
            Assert.InRange(int.Parse(retry, System.Globalization.CultureInfo.InvariantCulture), 1, 24 * 60 * 60);
        }

        // Counted per person: the approver has runs of their own. Runs sent at once are refused past one at a time (one worker
        // job per person) and never pass the limit together; sent one after another, the limit answers once they are spent.
        var approver = factory.ClientFor(factory.Keys.PolicyApprover);
        var answers = await Task.WhenAll(Enumerable.Range(0, ImpactLimitedFactory.PerDay + 2).Select(async _ =>
        {
            using var response = await approver.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = sha });
            return response.StatusCode;
        }));
        var passed = answers.Count(s => s == HttpStatusCode.OK);
        Assert.InRange(passed, 1, ImpactLimitedFactory.PerDay);
        Assert.All(answers.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        for (; passed < ImpactLimitedFactory.PerDay; passed++) await ImpactOkAsync(approver, sha);
        using (var over = await approver.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = sha }))
            Assert.Equal("https://mgauth.dev/problems/impact-limit-reached", (string)(await over.AssertProblemAsync(HttpStatusCode.TooManyRequests))["type"]!);

        // Every run and every refusal is in the audit log, by key, with the run's number.
        var entries = (await author.GetOkAsync("/v1/rulepacks/audit"))["entries"]!.AsArray().Reverse()
            .Where(e => (string)e!["action"]! == "release.impact_run" && (string)e["actor"]! == factory.Keys.PolicyAuthor.Record.Id)
            .Select(e => (string)e!["detail"]!).ToArray();
        Assert.Equal(3, entries.Length);
        Assert.EndsWith("run 1 of 2 today", entries[0]);
        Assert.EndsWith("run 2 of 2 today", entries[1]);
        Assert.Equal("refused: the daily limit of 2 runs is reached", entries[2]);
    }
}
