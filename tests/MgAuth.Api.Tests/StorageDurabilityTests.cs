using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>Every commit waits for the disk (synchronous=FULL) unless Storage:Durability=normal opts out.</summary>
public sealed class StorageDurabilityTests
{
    private const long Normal = 1;
    private const long Full = 2;

    private static long Synchronous(Database database)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return (long)command.ExecuteScalar()!;
    }

    [SqliteOnlyFact]
    public async Task Commits_wait_for_the_disk_by_default()
    {
        await using var factory = new MgAuthFactory();
        Assert.Equal(Full, Synchronous(factory.Services.GetRequiredService<Database>()));
        // The same without any configuration (the CLI's database, a host without appsettings.json).
        Assert.Equal(Full, Synchronous(new Database(factory.ConnectionString, TimeProvider.System)));
    }

    [SqliteOnlyFact]
    public async Task Storage_durability_normal_trusts_the_write_ahead_log()
    {
        await using var factory = new RelaxedDurabilityFactory();
        Assert.Equal(Normal, Synchronous(factory.Services.GetRequiredService<Database>()));
        await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
    }
}
