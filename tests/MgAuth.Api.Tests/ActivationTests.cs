using System.Collections.Concurrent;
using System.Diagnostics;
using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>
/// Activating the 1.5 g/kg release: under load without a failed request, rolled back, at a future effective time,
/// and only by a policy author. Each test has a service of its own: they change which release is active.
/// </summary>
public sealed class ActivationTests : IAsyncLifetime
{
    private const string Standard = "ivig-mg-standard";
    private readonly MgAuthFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    private static readonly ReleaseFiles Old = ReleaseFiles.Repository;
    private static readonly ReleaseFiles New = CeilingRelease.Files;

    /// <summary>150 g at DW 78.0 kg: within the 2 g/kg ceiling (160 g), above the 1.5 g/kg one (120 g).</summary>
    private static JsonObject OverNewCeiling() => CeilingRelease.Request(CeilingRelease.MemberA, 30, 5);

    /// <summary>100 g at DW 78.0 kg: within both ceilings.</summary>
    private static JsonObject WithinBoth() => CeilingRelease.Request(CeilingRelease.MemberA, 20, 5);

    private static void AssertDecidedByOld(JsonNode decision, bool overNewCeiling = true)
    {
        Assert.Equal(Old.PolicySha256(Standard), decision.PolicySha());
        Assert.Equal(Old.PackSha256, decision.PackSha());
        if (!overNewCeiling) return;
        Assert.Equal("approve", (string)decision["decision"]!);
        Assert.Equal("approved", (string)decision["status"]!);
        Assert.Contains("DOSE_WITHIN_COURSE_CEILING", decision.Codes());
    }

    private static void AssertDecidedByNew(JsonNode decision, bool overNewCeiling = true)
    {
        Assert.Equal(New.PolicySha256(Standard), decision.PolicySha());
        Assert.Equal(CeilingRelease.NewVersion, (string)decision["policy"]!["version"]!);
        Assert.Equal(New.PackSha256, decision.PackSha());
        if (!overNewCeiling) return;
        Assert.Equal("deny", (string)decision["decision"]!);
        Assert.Equal("pended", (string)decision["status"]!);
        Assert.Contains("DOSE_ABOVE_COURSE_CEILING", decision.Codes());
        Assert.Equal(120m, (decimal)decision["approvableAlternative"]!["courseGrams"]!);
    }

    [Fact]
    public async Task Activating_under_load_fails_no_request_and_every_decision_is_by_the_old_or_the_new_release()
    {
        var author = _factory.ClientFor(_factory.Keys.PolicyAuthor);
        var approver = _factory.ClientFor(_factory.Keys.PolicyApprover);
        var provider = _factory.ProviderA;
        await author.PublishCreatedAsync(New, "course ceiling 1.5 g/kg");
        Assert.NotEqual(Old.PolicySha256(Standard), New.PolicySha256(Standard));
        Assert.NotEqual(Old.PackSha256, New.PackSha256);

        const int Tasks = 4;
        const int PerTask = 100;
        const int ActivateAfter = 100;   // decisions completed before the activation is sent
        const int AfterActivation = 5;   // each task goes on at least this many requests after the activation answered
        var results = new ConcurrentBag<(bool Over, int Status, JsonNode Body, DateTimeOffset Answered)>();
        var completed = 0;
        var startActivation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DateTimeOffset? activationAnswered = null;
        var activated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? activation = null;

        async Task Submitter(int task)
        {
            var afterActivation = 0;
            // No cap on the count: on a slow machine the activation (which loads the new release) can take
            // hundreds of requests to answer, and the test needs requests after it. A failed activation ends the loop.
            for (var i = 0; (i < PerTask || afterActivation < AfterActivation) && !activation!.IsFaulted; i++)
            {
                var wasActivated = activated.Task.IsCompleted;
                var over = (i + task) % 2 == 0;
                using var response = await provider.SubmitAsync(over ? OverNewCeiling() : WithinBoth());
                var body = await response.JsonAsync();
                results.Add((over, (int)response.StatusCode, body, DateTimeOffset.UtcNow));
                if (Interlocked.Increment(ref completed) == ActivateAfter) startActivation.TrySetResult();
                if (wasActivated) afterActivation++;
            }
        }

        async Task Activator()
        {
            await startActivation.Task;
            await approver.ActivateOkAsync(New.Sha256, note: "under load");
            activationAnswered = DateTimeOffset.UtcNow;
            activated.SetResult();
        }

        activation = Activator();
        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(() => Submitter(t))));
        await activation;
        var answeredAt = activationAnswered!.Value;

        var all = results.ToArray();
        Assert.True(all.Length >= Tasks * PerTask, $"only {all.Length} requests were made");
        var failed = all.Where(r => r.Status != 201).ToArray();
        Assert.True(failed.Length == 0, $"{failed.Length} request(s) failed, e.g. {failed.FirstOrDefault().Status}: {failed.FirstOrDefault().Body}");

        foreach (var (over, _, decision, answered) in all)
        {
            var policySha = decision.PolicySha();
            Assert.True(policySha == Old.PolicySha256(Standard) || policySha == New.PolicySha256(Standard), $"policy sha {policySha}");
            // Policy and pack come from the same release: no decision mixes the old policy with the new pack or the reverse.
            var byNew = policySha == New.PolicySha256(Standard);
            if (byNew) AssertDecidedByNew(decision, over);
            else AssertDecidedByOld(decision, over);
            if (!over)
            {
                Assert.Equal("approve", (string)decision["decision"]!);
                Assert.Contains("DOSE_WITHIN_COURSE_CEILING", decision.Codes());
            }
            // Received after the activation answered: decided by the new release, without exception.
            var receivedAt = DateTimeOffset.Parse((string)decision["receivedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
            if (receivedAt > answeredAt)
                Assert.True(byNew, $"{decision["authorizationId"]} was received at {receivedAt:O}, after the activation answered at {answeredAt:O}, but decided by the old release");
        }
        // Some decisions were made before the activation, and some after it.
        Assert.True(all.Count(r => r.Body.PolicySha() == Old.PolicySha256(Standard)) >= ActivateAfter);
        Assert.Contains(all, r => r.Over && r.Body.PolicySha() == New.PolicySha256(Standard));

        AssertDecidedByNew(await provider.SubmitCreatedAsync(OverNewCeiling()));
        Assert.Equal(New.Sha256, (string)(await author.ListReleasesAsync())["activeRelease"]!);
    }

    [Fact]
    public async Task Rollback_restores_the_previous_answers_and_the_listing_shows_what_is_active_since_when()
    {
        var author = _factory.ClientFor(_factory.Keys.PolicyAuthor);
        var approver = _factory.ClientFor(_factory.Keys.PolicyApprover);
        var provider = _factory.ProviderA;

        // Only the release the service started on has been in force: nothing earlier to go back to.
        using (var nothing = await approver.RollbackAsync())
            await nothing.AssertProblemAsync(HttpStatusCode.Conflict);
        AssertDecidedByOld(await provider.SubmitCreatedAsync(OverNewCeiling()));

        await author.PublishCreatedAsync(New, "course ceiling 1.5 g/kg");
        var activation = await approver.ActivateOkAsync(New.Sha256, note: "committee decision");
        Assert.Equal("activate", (string)activation["kind"]!);
        AssertDecidedByNew(await provider.SubmitCreatedAsync(OverNewCeiling()));

        using var rollback = await approver.RollbackAsync();
        var rolledBack = await rollback.JsonAsync();
        Assert.True(rollback.StatusCode == HttpStatusCode.OK, rolledBack.ToJsonString());
        Assert.Equal("rollback", (string)rolledBack["kind"]!);
        Assert.Equal(Old.Sha256, (string)rolledBack["releaseSha256"]!);

        AssertDecidedByOld(await provider.SubmitCreatedAsync(OverNewCeiling()));

        var listing = await author.ListReleasesAsync();
        Assert.Equal(Old.Sha256, (string)listing["activeRelease"]!);
        Assert.Null(listing["pendingRelease"]);
        var oldView = listing.Release(Old.Sha256);
        Assert.True((bool)oldView["active"]!);
        Assert.Equal((string)rolledBack["effectiveFrom"]!, (string)oldView["activeSince"]!);
        var newView = listing.Release(New.Sha256);
        Assert.False((bool)newView["active"]!);
        Assert.Null(newView["activeSince"]);
        Assert.True((bool)newView["valid"]!);
        Assert.Equal("committee decision", (string)listing["activations"]!.AsArray()[1]!["note"]!);
        Assert.Equal(["startup", "activate", "rollback"], listing["activations"]!.AsArray().Select(a => (string)a!["kind"]!));
        Assert.Equal([Old.Sha256, New.Sha256, Old.Sha256], listing["activations"]!.AsArray().Select(a => (string)a!["releaseSha256"]!));
        Assert.Contains(listing["activePolicies"]!.AsArray(), p => (string)p!["id"]! == Standard && (string)p["version"]! == Old.Policy(Standard).Version);
    }

    [Fact]
    public async Task An_activation_with_a_future_effective_time_waits_for_it_and_is_shown_as_pending()
    {
        var author = _factory.ClientFor(_factory.Keys.PolicyAuthor);
        var approver = _factory.ClientFor(_factory.Keys.PolicyApprover);
        var provider = _factory.ProviderA;
        await author.PublishCreatedAsync(New);

        var from = DateTimeOffset.UtcNow.AddSeconds(6);
        var activation = await approver.ActivateOkAsync(New.Sha256, from);
        Assert.Equal(from, DateTimeOffset.Parse((string)activation["effectiveFrom"]!, System.Globalization.CultureInfo.InvariantCulture));

        var listing = await author.ListReleasesAsync();
        var listedAt = DateTimeOffset.UtcNow;
        Assert.True(listedAt < from, $"the listing came back at {listedAt:O}, after the effective time {from:O}: the machine is too slow for this test");
        Assert.Equal(Old.Sha256, (string)listing["activeRelease"]!);
        Assert.Equal(New.Sha256, (string)listing["pendingRelease"]!);
        Assert.Equal(from, DateTimeOffset.Parse((string)listing["pendingFrom"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((bool)listing.Release(Old.Sha256)["active"]!);

        // Poll until a decision is made by the new release; every decision answered before the time is by the old one,
        // every decision received at or after it by the new one.
        var deadline = Stopwatch.StartNew();
        var decisions = new List<(JsonObject Decision, DateTimeOffset Answered)>();
        while (true)
        {
            var decision = await provider.SubmitCreatedAsync(OverNewCeiling());
            decisions.Add((decision, DateTimeOffset.UtcNow));
            if (decision.PolicySha() == New.PolicySha256(Standard)) break;
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the release did not take over within 30 s");
            await Task.Delay(200);
        }
        Assert.True(decisions.Count > 1, "the first decision after the activation should still be by the old release");
        foreach (var (decision, answered) in decisions)
        {
            var receivedAt = DateTimeOffset.Parse((string)decision["receivedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
            if (answered < from) AssertDecidedByOld(decision);
            if (receivedAt >= from) AssertDecidedByNew(decision);
        }

        var after = await author.ListReleasesAsync();
        Assert.Equal(New.Sha256, (string)after["activeRelease"]!);
        Assert.Null(after["pendingRelease"]);
        Assert.Equal(from, DateTimeOffset.Parse((string)after.Release(New.Sha256)["activeSince"]!, System.Globalization.CultureInfo.InvariantCulture));
        AssertDecidedByNew(await provider.SubmitCreatedAsync(OverNewCeiling()));
    }

    [Theory]
    [InlineData("provider")]
    [InlineData("provider_b")]
    [InlineData("reviewer")]
    [InlineData("clinician")]
    [InlineData("policy_author")]
    [InlineData("admin")]
    public async Task Only_a_policy_approver_may_activate_or_roll_back(string role)
    {
        var author = _factory.ClientFor(_factory.Keys.PolicyAuthor);
        var approver = _factory.ClientFor(_factory.Keys.PolicyApprover);
        var refused = _factory.ClientFor(_factory.Keys.Named(role));

        await author.PublishCreatedAsync(New);
        using (var activate = await refused.ActivateAsync(New.Sha256))
            await activate.AssertProblemAsync(HttpStatusCode.Forbidden);
        var listing = await author.ListReleasesAsync();
        Assert.Equal(Old.Sha256, (string)listing["activeRelease"]!);
        Assert.Single(listing["activations"]!.AsArray());

        await approver.ActivateOkAsync(New.Sha256);
        using (var rollback = await refused.RollbackAsync())
            await rollback.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(New.Sha256, (string)(await author.ListReleasesAsync())["activeRelease"]!);

        // Staff may read the listing; a provider may not.
        using var list = await refused.GetAsync("/v1/rulepacks");
        Assert.Equal(role.StartsWith("provider", StringComparison.Ordinal) ? HttpStatusCode.Forbidden : HttpStatusCode.OK, list.StatusCode);
    }

    [Theory]
    [InlineData("provider")]
    [InlineData("reviewer")]
    [InlineData("clinician")]
    [InlineData("policy_approver")]
    public async Task Only_a_policy_author_or_admin_may_publish(string role)
    {
        using var publish = await _factory.ClientFor(_factory.Keys.Named(role)).PublishAsync(New);
        await publish.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("policy_author")]
    [InlineData("admin")]
    public async Task An_author_or_admin_publishes_and_an_approver_activates_and_rolls_back(string role)
    {
        var client = _factory.ClientFor(_factory.Keys.Named(role));
        var approver = _factory.ClientFor(_factory.Keys.PolicyApprover);
        var published = await client.PublishCreatedAsync(New, $"by {role}");
        Assert.False((bool)published["alreadyPublished"]!);
        var activation = await approver.ActivateOkAsync(New.Sha256);
        Assert.Equal(_factory.Keys.PolicyApprover.Record.Id, (string)activation["activatedBy"]!);
        Assert.Equal("Policy approver", (string)activation["activatedByPerson"]!["name"]!);
        AssertDecidedByNew(await _factory.ProviderA.SubmitCreatedAsync(OverNewCeiling()));
        using var rollback = await approver.RollbackAsync();
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        AssertDecidedByOld(await _factory.ProviderA.SubmitCreatedAsync(OverNewCeiling()));
        Assert.Equal(_factory.Keys.Named(role).Record.Id, (string)(await client.ListReleasesAsync()).Release(New.Sha256)["publishedBy"]!);
        Assert.Equal(_factory.Keys.Named(role).Record.Name, (string)(await client.ListReleasesAsync()).Release(New.Sha256)["publishedByPerson"]!["name"]!);
    }
}
