using MgAuth.Api.Tests.Support;
using MgAuth.RulePacks.Isolation;

namespace MgAuth.Api.Tests;

/// <summary>
/// Uploaded pack code runs in a worker process, never in the service: the attacks that once took the
/// service down — a stack overflow in Define(), a finalizer that throws, an endless loop in a
/// condition, gigabytes of arrays — were each stopped there; the pack language now refuses each of them
/// at compile time (in the worker) with a 422 naming the file and line, and the next request is answered. A published release's code is loaded into the service only when an approver
/// activates it.
/// </summary>
public sealed class WorkerIsolationTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{

    /// <summary>A small pack: its manifest, one attacking rule file, and one of the repository's cases to run.</summary>
    private static ReleaseFiles Pack(string ruleFile) => new(
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pack.yaml"] = $"id: attack\nversion: 1.0.0\ndescription: an attack\n# {Guid.NewGuid():N}\n",
            ["GlobalUsings.cs"] = ReleaseFiles.Repository.Pack["GlobalUsings.cs"],
            ["Attack.cs"] = ruleFile,
            ["cases/001.json"] = ReleaseFiles.Repository.Pack["cases/001-gate-diagnosis-g70-00-covered-clean-approval.json"],
        },
        ReleaseFiles.Repository.Policies);

    // The worker's default time limit (60 s) leaves a loaded machine room to start it and compile.
    private Task<JsonNode> RefusedAsync(ReleaseFiles release) => RefusedAsync(factory, release);

    private static async Task<JsonNode> RefusedAsync(MgAuthFactory factory, ReleaseFiles release)
    {
        var author = factory.ClientFor(factory.Keys.PolicyAuthor);
        using var response = await author.PublishAsync(release, "attack");
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        // The refused release is on record, not valid, and the service goes on deciding.
        Assert.False((bool)(await author.ListReleasesAsync()).Release(release.Sha256)["valid"]!);
        // Nor can its code be run against stored cases through an impact analysis.
        using (var impact = await author.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = release.Sha256 }))
            Assert.Equal("The release did not pass its checks", (string)(await impact.AssertProblemAsync(HttpStatusCode.UnprocessableEntity))["title"]!);
        var next = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        Assert.Equal("approve", (string)next["decision"]!);
        return problem;
    }

    private static void AssertNamed(JsonNode problem, int line, string what)
    {
        Assert.Equal("The release cannot be activated", (string)problem["title"]!);
        Assert.Contains(problem["errors"]!["release"]!.AsArray(), e => ((string)e!).Contains($"Attack.cs({line},", StringComparison.Ordinal)
            && ((string)e!).Contains(what, StringComparison.Ordinal) && ((string)e!).Contains("is not allowed in a rule pack", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stack_overflow_in_Define_is_refused_before_it_runs()
    {
        var problem = await RefusedAsync(Pack("""
            namespace MgAuth.Rules.Attack;

            public sealed class Recurse : Rule
            {
                public override void Define() => Depth(0);

                // Not a tail call (the JIT would turn that into a loop): each call keeps its frame.
                private static int Depth(int n) => Depth(n + 1) + 1;
            }
            """));
        AssertNamed(problem, 5, "a method ('Define')");
        AssertNamed(problem, 8, "a static method ('Depth')");
    }

    [Fact]
    public async Task An_endless_loop_in_a_condition_is_refused_before_it_runs()
    {
        var problem = await RefusedAsync(Pack("""
            namespace MgAuth.Rules.Attack;

            public sealed class Spin : Rule
            {
                public override void Define()
                {
                    Member m = null!;
                    When().Match(() => m, m => Forever(m));
                    Then().Do(ctx => ctx.Insert(new DocumentedWorsening("never")));
                }

                private static bool Forever(Member m)
                {
                    var turns = 0L;
                    while (m.WeightKg > 0) turns++;
                    return turns > 0;
                }
            }
            """));
        AssertNamed(problem, 8, "'MgAuth.Rules.Attack.Spin.Forever(MgAuth.Domain.Facts.Member)'");
        AssertNamed(problem, 12, "a static method ('Forever')");
    }

    [Fact]
    public async Task Gigabytes_of_arrays_in_a_condition_are_refused_before_they_are_made()
    {
        var problem = await RefusedAsync(Pack("""
            namespace MgAuth.Rules.Attack;

            public sealed class Hog : Rule
            {
                public override void Define()
                {
                    Member m = null!;
                    When().Match(() => m, m => Enumerable.Range(0, 8).Select(i => new long[100_000_000]).ToArray().Length > (int)m.WeightKg);
                    Then().Do(ctx => ctx.Insert(new DocumentedWorsening("never")));
                }
            }
            """));
        AssertNamed(problem, 8, "'System.Linq.Enumerable.Range(int, int)'");
        AssertNamed(problem, 8, "an array creation");
    }

    [Fact]
    public async Task A_static_list_of_2_GB_arrays_is_refused()
    {
        var problem = await RefusedAsync(Pack("""
            namespace MgAuth.Rules.Attack;

            public sealed class Hoard : Rule
            {
                private static readonly System.Collections.Generic.List<byte[]> Kept = [new byte[int.MaxValue / 2], new byte[int.MaxValue / 2]];

                public override void Define()
                {
                    Member m = null!;
                    When().Match(() => m, m => Kept.Count > (int)m.WeightKg);
                    Then().Do(ctx => ctx.Insert(new DocumentedWorsening("never")));
                }
            }
            """));
        AssertNamed(problem, 5, "a static field ('Kept')");
    }

    [Fact]
    public async Task A_finalizer_that_throws_is_refused()
    {
        var problem = await RefusedAsync(Pack("""
            namespace MgAuth.Rules.Attack;

            public sealed class Leak : Rule
            {
                ~Leak() => throw new System.InvalidOperationException("boom");

                public override void Define()
                {
                    Member m = null!;
                    When().Match(() => m, m => m.WeightKg > 0);
                    Then().Do(ctx => ctx.Insert(new DocumentedWorsening("never")));
                }
            }
            """));
        AssertNamed(problem, 5, "a destructor");
    }

    [Fact]
    public void The_worker_gets_the_limits_and_nothing_of_the_services_environment()
    {
        Environment.SetEnvironmentVariable("ConnectionStrings__MgAuth", "Data Source=/secret.db");
        var info = new PackWorker(new WorkerLimits { HeapMegabytes = 256, AddressSpaceMegabytes = 3000 }).StartInfo();
        Assert.DoesNotContain(info.Environment.Keys, k => k.Contains("ConnectionStrings", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(info.Environment.Values, v => v?.Contains("secret", StringComparison.Ordinal) == true);
        Assert.Equal("0x10000000", info.Environment["DOTNET_GCHeapHardLimit"]);
        Assert.Contains("3072000", info.ArgumentList);
        Assert.EndsWith("mgauth-worker.dll", info.ArgumentList[^1]);
    }
}

/// <summary>Only an approved release's code runs in the serving process (a service of its own: it activates a release).</summary>
public sealed class ApprovedCodeOnlyTests
{
    [Fact]
    public async Task A_published_release_is_not_loaded_into_the_service_until_an_approver_activates_it()
    {
        await using var factory = new MgAuthFactory();
        var author = factory.ClientFor(factory.Keys.PolicyAuthor);
        var release = CeilingRelease.Files.WithPackFile("pack.yaml", CeilingRelease.Files.Pack["pack.yaml"] + $"\n# {Guid.NewGuid():N}\n");
        // The pack compiles to an assembly named after its hash (RulePackCompiler): is it in this process?
        bool Loaded() => AppDomain.CurrentDomain.GetAssemblies()
            .Any(a => a.GetName().Name?.EndsWith(release.PackSha256[..12], StringComparison.Ordinal) == true);

        await author.PublishCreatedAsync(release, "checked in the worker");
        Assert.False(Loaded(), "publishing loaded the pack's code into the service");
        using (var impact = await author.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = release.Sha256 }))
            Assert.Equal(HttpStatusCode.OK, impact.StatusCode);
        Assert.False(Loaded(), "the impact analysis loaded the pack's code into the service");

        await factory.ClientFor(factory.Keys.PolicyApprover).ActivateOkAsync(release.Sha256);
        Assert.True(Loaded());
    }

}
