extern alias cli;

using System.Diagnostics;
using MgAuth.Api.Tests.Support;
using Microsoft.Data.Sqlite;
using Cli = cli::MgAuth.Cli.Cli;

namespace MgAuth.Api.Tests;

/// <summary>The service on a database file the test names (as a deployment would), not one of its own.</summary>
public sealed class DatabaseFileFactory(string databasePath) : MgAuthFactory
{
    // A SQLite file the CLI wrote with --db, in either pass of the suite.
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [new("Storage:Provider", "sqlite"), new("ConnectionStrings:MgAuth", $"Data Source={databasePath}")];
}

/// <summary>
/// <c>mgauth rules publish</c> by one person and <c>mgauth rules activate</c> by another on the service's database (four
/// eyes: the publisher cannot activate): a service started on it afterwards uses the activated release, and a service already running on it follows within a few seconds (ActivationFollower polls every 2 s).
/// </summary>
public sealed class RulesPublishCliTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mgauth-api-tests", "cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static async Task<(int Exit, string Out)> MgAuthAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.RunAsync(args, new StringReader(""), stdout, stderr);
        return (exit, $"{stdout}{stderr}");
    }

    private async Task<string> PublishCandidateAsync(string database)
    {
        Directory.CreateDirectory(_folder);
        var (pack, policies) = CeilingRelease.Files.WriteTo(Path.Combine(_folder, "candidate"));
        var sha = CeilingRelease.Files.Sha256;
        var (exit, output) = await MgAuthAsync("rules", "publish", pack, "--policies", policies, "--db", database,
            "--note", "course ceiling 1.5 g/kg", "--by", "committee");
        Assert.True(exit == 0, output);
        Assert.Contains($"release {sha}: valid, cases 5 passed, 0 failed", output);

        // Publishing and activating in one go, or activating one's own release, is refused.
        var (together, togetherOutput) = await MgAuthAsync("rules", "publish", pack, "--policies", policies, "--db", database, "--by", "committee", "--activate");
        Assert.Equal(2, together);
        Assert.Contains("someone other than its publisher", togetherOutput);
        var (own, ownOutput) = await MgAuthAsync("rules", "activate", sha, "--db", database, "--by", "  Committee ");
        Assert.Equal(2, own);
        Assert.Contains("published by you", ownOutput);

        (exit, output) = await MgAuthAsync("rules", "activate", sha, "--db", database, "--by", "chief medical officer", "--note", "approved");
        Assert.True(exit == 0, output);
        Assert.Contains("activated", output);
        return sha;
    }

    private static void AssertDecidedByCandidate(JsonNode decision)
    {
        Assert.Equal(CeilingRelease.Files.PolicySha256("ivig-mg-standard"), decision.PolicySha());
        Assert.Equal(CeilingRelease.Files.PackSha256, decision.PackSha());
        Assert.Equal("deny", (string)decision["decision"]!);
        Assert.Contains("DOSE_ABOVE_COURSE_CEILING", decision.Codes());
    }

    [Fact]
    public async Task A_service_started_on_the_database_after_mgauth_rules_activate_uses_the_activated_release()
    {
        Directory.CreateDirectory(_folder);
        var database = Path.Combine(_folder, "mgauth.db");
        // The repository's release is already known to this database, as after any earlier run of the service; otherwise
        // the service would, by design, start on the repository's release as a new one.
        var (exit, output) = await MgAuthAsync("rules", "publish", Repository.PackFolder, "--policies", Repository.PoliciesFolder, "--db", database);
        Assert.True(exit == 0, output);
        Assert.Contains($"release {ReleaseFiles.Repository.Sha256}: valid", output);
        var sha = await PublishCandidateAsync(database);

        await using var factory = new DatabaseFileFactory(database);
        var author = factory.ClientFor(factory.Keys.PolicyAuthor);
        var listing = await author.ListReleasesAsync();
        Assert.Equal(sha, (string)listing["activeRelease"]!);
        var view = listing.Release(sha);
        Assert.True((bool)view["active"]!);
        Assert.Equal("committee", (string)view["publishedBy"]!);
        Assert.Equal("committee", (string)view["publishedByPerson"]!["name"]!);
        Assert.Equal("course ceiling 1.5 g/kg", (string)view["note"]!);

        AssertDecidedByCandidate(await factory.ProviderA.SubmitCreatedAsync(CeilingRelease.Request(CeilingRelease.MemberA, 30, 5)));
    }

    [SqliteOnlyFact]
    public async Task A_running_service_follows_an_activation_made_by_the_cli_within_seconds()
    {
        await using var factory = new MgAuthFactory();
        var author = factory.ClientFor(factory.Keys.PolicyAuthor);
        var before = await factory.ProviderA.SubmitCreatedAsync(CeilingRelease.Request(CeilingRelease.MemberA, 30, 5));
        Assert.Equal("approve", (string)before["decision"]!);
        Assert.Equal(ReleaseFiles.Repository.PolicySha256("ivig-mg-standard"), before.PolicySha());

        var sha = await PublishCandidateAsync(factory.DatabasePath);
        var clock = Stopwatch.StartNew();
        // The follower polls every 2 s and then compiles the release: a few seconds, but this bound leaves room for a
        // machine under heavy load (the compile alone can take several seconds there).
        while ((string)(await author.ListReleasesAsync())["activeRelease"]! != sha)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the running service did not follow the CLI's activation within 20 s");
            await Task.Delay(100);
        }
        output.WriteLine($"followed after {clock.Elapsed.TotalSeconds:0.0} s");

        AssertDecidedByCandidate(await factory.ProviderA.SubmitCreatedAsync(CeilingRelease.Request(CeilingRelease.MemberA, 30, 5)));
        var activations = (await author.ListReleasesAsync())["activations"]!.AsArray();
        Assert.Equal(["startup", "activate"], activations.Select(a => (string)a!["kind"]!));
        Assert.Equal("chief medical officer", (string)activations[^1]!["activatedBy"]!);
    }
}
