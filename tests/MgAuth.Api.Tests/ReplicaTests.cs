using System.Net;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Tests;

/// <summary>
/// Two service processes on one PostgreSQL database (the PostgreSQL pass of tests/run.sh): what one stores the other
/// serves at once, and a retried submission spread over both stores one case.
/// </summary>
public sealed class ReplicaTests : IAsyncDisposable
{
    private readonly string _connectionString = TestStorage.IsPostgres ? TestStorage.CreatePostgresDatabase() : "";

    private async Task<Replicas> TwoReplicasAsync()
    {
        var database = new Database(StorageProvider.Postgres, _connectionString, TimeProvider.System);
        database.Migrate();
        var key = new ApiKeyStore(database, TimeProvider.System).Create("replica-clinic", Roles.Provider, "replica test portal");
        var started = await Task.WhenAll(
            ServiceProcess.StartAsync(StorageProvider.Postgres, _connectionString),
            ServiceProcess.StartAsync(StorageProvider.Postgres, _connectionString));
        return new Replicas(started[0], started[1], key.Secret);
    }

    /// <summary>Two running replicas and a provider's client for each.</summary>
    private sealed class Replicas(ServiceProcess a, ServiceProcess b, string secret) : IAsyncDisposable
    {
        public HttpClient A { get; } = Client(a, secret);
        public HttpClient B { get; } = Client(b, secret);

        private static HttpClient Client(ServiceProcess service, string secret)
        {
            var http = new HttpClient { BaseAddress = service.BaseUrl };
            http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
            return http;
        }

        public async ValueTask DisposeAsync()
        {
            A.Dispose();
            B.Dispose();
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

    public ValueTask DisposeAsync()
    {
        if (TestStorage.IsPostgres) TestStorage.DropPostgresDatabase(_connectionString);
        return ValueTask.CompletedTask;
    }
}
