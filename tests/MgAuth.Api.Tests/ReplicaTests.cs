using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Tests;

/// <summary>
/// Two service processes on one PostgreSQL database (the PostgreSQL pass of tests/run.sh): what one stores the other
/// serves at once, and a retried submission spread over both stores one case.
/// </summary>
public sealed class ReplicaTests(ITestOutputHelper output) : IAsyncDisposable
{
    private readonly string _connectionString = TestStorage.IsPostgres ? TestStorage.CreatePostgresDatabase() : "";

    private async Task<Replicas> TwoReplicasAsync()
    {
        var database = new Database(StorageProvider.Postgres, _connectionString, TimeProvider.System);
        database.Migrate();
        var keys = new ApiKeys(database, TimeProvider.System);
        var secrets = new Dictionary<string, string>
        {
            [Roles.Provider] = keys.Create("replica-clinic", Roles.Provider, "replica test portal").Secret,
            [Roles.Clinician] = keys.Create(TestKeys.Plan, Roles.Clinician, "Clinician one", "1111111112", "P-clinician-one").Secret,
            ["second clinician"] = keys.Create(TestKeys.Plan, Roles.Clinician, "Clinician two", "1333333338", "P-clinician-two").Secret,
            [Roles.PolicyAuthor] = keys.Create(TestKeys.Plan, Roles.PolicyAuthor, "Policy author", personId: "P-author").Secret,
            [Roles.PolicyApprover] = keys.Create(TestKeys.Plan, Roles.PolicyApprover, "Policy approver", personId: "P-approver").Secret,
        };
        var started = await Task.WhenAll(
            ServiceProcess.StartAsync(StorageProvider.Postgres, _connectionString),
            ServiceProcess.StartAsync(StorageProvider.Postgres, _connectionString));
        return new Replicas(started[0], started[1], secrets);
    }

    /// <summary>Two running replicas; a provider's client for each, and clients of the plan's staff.</summary>
    private sealed class Replicas(ServiceProcess a, ServiceProcess b, IReadOnlyDictionary<string, string> secrets) : IAsyncDisposable
    {
        private readonly List<HttpClient> _clients = [];

        public HttpClient A => On(a, Roles.Provider);
        public HttpClient B => On(b, Roles.Provider);

        /// <summary>A client of replica A (<paramref name="onA"/>) or B with the key made for <paramref name="who"/>.</summary>
        public HttpClient As(string who, bool onA) => On(onA ? a : b, who);

        private HttpClient On(ServiceProcess service, string who)
        {
            var http = new HttpClient { BaseAddress = service.BaseUrl, Timeout = TimeSpan.FromMinutes(3) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", secrets[who]);
            _clients.Add(http);
            return http;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients) client.Dispose();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [PostgresOnlyFact]
    public async Task Twenty_submissions_with_one_idempotency_key_over_two_replicas_store_one_case()
    {
        await using var replicas = await TwoReplicasAsync();
        var request = Examples.ForNewMember(Examples.Exacerbation);
        var key = "replica-" + Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? replicas.A : replicas.B).SubmitAsync(request, key)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(responses.Select(async r => (string)(await r.JsonAsync())["authorizationId"]!));
        Assert.Single(ids.Distinct());
        foreach (var response in responses) response.Dispose();
    }

    [PostgresOnlyFact]
    public async Task A_case_submitted_through_one_replica_is_readable_through_the_other_at_once()
    {
        await using var replicas = await TwoReplicasAsync();

        var created = await replicas.A.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        var read = await replicas.B.GetOkAsync($"/v1/authorizations/{created.Id()}");

        Assert.Equal(created.Id(), (string)read["authorizationId"]!);
        Assert.Equal((string)created["decision"]!, (string)read["decision"]!);
    }

    [PostgresOnlyFact]
    public async Task Two_clinicians_determining_one_case_through_different_replicas_one_wins_the_other_gets_412()
    {
        await using var replicas = await TwoReplicasAsync();
        for (var round = 0; round < 3; round++)
        {
            var pended = await replicas.A.SubmitCreatedAsync(Examples.ForNewMember(Examples.OverCeiling));
            Assert.Equal("pended", (string)pended["status"]!);
            var etag = await replicas.As(Roles.Clinician, onA: true).ETagAsync(pended.Id());
            Assert.Equal(etag, await replicas.As("second clinician", onA: false).ETagAsync(pended.Id()));

            var answers = await Task.WhenAll(
                replicas.As(Roles.Clinician, onA: true).DetermineAsync(pended.Id(), ReviewCalls.Deny(), etag),
                replicas.As("second clinician", onA: false).DetermineAsync(pended.Id(), ReviewCalls.Approve(), etag));

            Assert.Equal([200, 412], answers.Select(a => (int)a.StatusCode).Order());
            await answers.Single(a => a.StatusCode == HttpStatusCode.PreconditionFailed).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
            var winner = answers.Single(a => a.StatusCode == HttpStatusCode.OK) == answers[0] ? "deny" : "approve";
            foreach (var replica in new[] { replicas.A, replicas.B })
                Assert.Equal(winner, (string)(await replica.GetOkAsync($"/v1/authorizations/{pended.Id()}"))["decision"]!);
            foreach (var answer in answers) answer.Dispose();
        }
    }

    [PostgresOnlyFact]
    public async Task A_release_activated_through_one_replica_serves_on_the_other_within_two_seconds()
    {
        await using var replicas = await TwoReplicasAsync();
        var request = () => CeilingRelease.Request(CeilingRelease.MemberA, 30, 5);
        Assert.Equal("approve", (string)(await replicas.B.SubmitCreatedAsync(request()))["decision"]!);
        await replicas.As(Roles.PolicyAuthor, onA: true).PublishCreatedAsync(CeilingRelease.Files, "course ceiling 1.5 g/kg");

        var activating = Stopwatch.StartNew();
        var activation = await replicas.As(Roles.PolicyApprover, onA: true).ActivateOkAsync(CeilingRelease.Files.Sha256, note: "replicas");
        output.WriteLine($"replica A answered the activation in {activating.ElapsedMilliseconds} ms, when both replicas served it");
        // The activation answers once every live replica serves the release: both are listed.
        Assert.True((bool)activation["allReplicasFollowed"]!, activation.ToJsonString());
        Assert.Equal(2, activation["replicas"]!.AsArray().Count);
        Assert.All(activation["replicas"]!.AsArray(), r => Assert.Equal(CeilingRelease.Files.Sha256, (string)r!["servingRelease"]!));

        var clock = Stopwatch.StartNew();
        JsonNode decision;
        do decision = await replicas.B.SubmitCreatedAsync(request());
        while (decision.PackSha() != CeilingRelease.Files.PackSha256 && clock.Elapsed < TimeSpan.FromSeconds(10));
        var followedAfter = clock.Elapsed;
        output.WriteLine($"replica B decided by the new release {followedAfter.TotalMilliseconds:0} ms after replica A answered the activation");

        Assert.Equal(CeilingRelease.Files.PackSha256, decision.PackSha());
        Assert.True(followedAfter < TimeSpan.FromSeconds(2), $"replica B followed after {followedAfter.TotalSeconds:0.0} s");
        Assert.Equal("deny", (string)decision["decision"]!);
        var listing = await replicas.As(Roles.PolicyAuthor, onA: false).ListReleasesAsync();
        Assert.Equal(CeilingRelease.Files.Sha256, (string)listing["activeRelease"]!);
        Assert.Equal(2, listing["replicas"]!.AsArray().Count);
    }

    public ValueTask DisposeAsync()
    {
        if (TestStorage.IsPostgres) TestStorage.DropPostgresDatabase(_connectionString);
        return ValueTask.CompletedTask;
    }

    [PostgresOnlyFact]
    public async Task Both_replicas_send_notifications_and_each_result_reaches_the_subscriber_once()
    {
        await using var replicas = await TwoReplicasAsync();
        await using var ehr = await NotificationReceiver.StartAsync();
        using var subscribed = await replicas.A.PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson(ehr.Url));
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        Assert.Contains("\"handshake\"", (await ehr.NextAsync()).Body);

        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var pended = await replicas.A.SubmitCreatedAsync(Examples.ForNewMember(Examples.OverCeiling));
            await replicas.As(Roles.Clinician, onA: i % 2 == 0).DetermineOkAsync(pended.Id(), ReviewCalls.Approve());
            ids.Add(pended.Id());
        }

        var notified = new List<string>();
        for (var i = 0; i < ids.Count; i++)
            notified.Add(FhirCalls.ClaimResponseOf(Assert.IsType<Hl7.Fhir.Model.Bundle>(FhirCalls.Parse<Hl7.Fhir.Model.Bundle>((await ehr.NextAsync()).Body).Entry[1].Resource)).Id());
        Assert.Equal(ids.Order(), notified.Order());
        Assert.Null(await ehr.NothingWithinAsync(2));
    }
}
