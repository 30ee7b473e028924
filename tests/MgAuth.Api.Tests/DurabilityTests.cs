using System.Diagnostics;
using MgAuth.Api.Tests.Support;
using Microsoft.Data.Sqlite;

namespace MgAuth.Api.Tests;

/// <summary>When the database cannot take a write the service answers 503, keeps nothing partial, and carries on once it can.</summary>
public sealed class DurabilityTests(ShortBusyTimeoutFactory factory, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<ShortBusyTimeoutFactory>
{
    private static void Exec(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [SqliteOnlyFact]
    public async Task A_locked_database_is_503_with_nothing_partial_and_the_service_keeps_serving()
    {
        var client = factory.ProviderA;
        await client.SubmitCreatedAsync(Examples.ForNewMember(Examples.Crisis)); // warm: the schema and the key are in place
        var key = "durable-" + Guid.NewGuid().ToString("N");
        var request = Examples.ForNewMember(Examples.Exacerbation);
        var before = factory.CountRows();

        using (var locker = factory.OpenDatabase())
        {
            Exec(locker, "BEGIN EXCLUSIVE;");
            var clock = Stopwatch.StartNew();
            using var refused = await client.SubmitAsync(request, key);
            output.WriteLine($"503 after {clock.ElapsedMilliseconds} ms");

            var problem = await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("nothing", (string)problem["detail"]!);
            // WAL: readers are not blocked by the writer's lock.
            Assert.Equal(before, factory.CountRows());
            Exec(locker, "ROLLBACK;");
        }

        Assert.Equal(before, factory.CountRows());
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE idempotency_key = @k", ("@k", key)));

        // The same key again: nothing was kept, so this is a new case, not a replay.
        var accepted = await client.SubmitCreatedAsync(request, key);
        Assert.Equal("approve", (string)accepted["decision"]!);
        var after = factory.CountRows();
        Assert.Equal(before.Authorizations + 1, after.Authorizations);
        Assert.Equal(before.Revisions + 1, after.Revisions);
        await client.GetOkAsync($"/v1/authorizations/{accepted["authorizationId"]}");
    }

    [SqliteOnlyFact]
    public async Task A_supplement_against_a_locked_database_is_503_and_the_case_is_unchanged()
    {
        var client = factory.ProviderA;
        var clock = Stopwatch.StartNew();
        var id = (string)(await client.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines()))["authorizationId"]!;
        var before = factory.CountRows();
        output.WriteLine($"submitted after {clock.ElapsedMilliseconds} ms");

        using (var locker = factory.OpenDatabase())
        {
            Exec(locker, "BEGIN EXCLUSIVE;");
            using var refused = await client.PostJsonAsync($"/v1/authorizations/{id}/supplements", Examples.BaselinesSupplement());
            output.WriteLine($"503 after {clock.ElapsedMilliseconds} ms");
            await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Exec(locker, "ROLLBACK;");
        }

        Assert.Equal(before, factory.CountRows());
        output.WriteLine($"released after {clock.ElapsedMilliseconds} ms");
        var again = await client.SupplementOkAsync(id, Examples.BaselinesSupplement());
        output.WriteLine($"supplemented after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(2, (int)again["revision"]!);
        Assert.Equal("approved", (string)again["status"]!);
    }

    [SqliteOnlyFact]
    public async Task Readiness_stays_up_while_a_writer_holds_the_lock()
    {
        using var locker = factory.OpenDatabase();
        Exec(locker, "BEGIN EXCLUSIVE;");
        try
        {
            using var response = await factory.Anonymous().GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            Exec(locker, "ROLLBACK;");
        }
    }
}
