using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>
/// Publishing releases: a release that does not compile, fails a case or reaches outside the sandbox is recorded but
/// refused (422), cannot be activated (409), and the running release goes on deciding. Publishing is idempotent by hash.
/// None of these tests changes the active release, so they share one service.
/// </summary>
public sealed class ReleasePublishTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private const string FlippedCase = "cases/016-dose-course-exactly-at-ceiling-140.json";

    private HttpClient Author => factory.ClientFor(factory.Keys.PolicyAuthor);

    private HttpClient Approver => factory.ClientFor(factory.Keys.PolicyApprover);

    /// <summary>Every test's release is its own: the note in pack.yaml makes the hash unique (YAML comments change nothing else).</summary>
    private static ReleaseFiles Unique(ReleaseFiles release) =>
        release.WithPackFile("pack.yaml", release.Pack["pack.yaml"] + $"\n# test release {Guid.NewGuid():N}\n");

    private static async Task<string[]> RefusedAsync(HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("The release cannot be activated", (string)problem["title"]!);
        return problem["errors"]!["release"]!.AsArray().Select(e => (string)e!).ToArray();
    }

    /// <summary>The release that was running keeps deciding as before: the repository's pack and policy, the same answer.</summary>
    private async Task AssertRunningReleaseStillServesAsync()
    {
        Assert.Equal(ReleaseFiles.Repository.Sha256, (string)(await Author.ListReleasesAsync())["activeRelease"]!);
        var decision = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        Assert.Equal("approve", (string)decision["decision"]!);
        Assert.Equal("approved", (string)decision["status"]!);
        Assert.Contains("DOSE_WITHIN_COURSE_CEILING", decision.Codes());
        Assert.Equal(ReleaseFiles.Repository.PolicySha256("ivig-mg-standard"), decision.PolicySha());
        Assert.Equal(ReleaseFiles.Repository.PackSha256, decision.PackSha());
    }

    private async Task AssertActivationRefusedAsync(string sha256)
    {
        using var activate = await Approver.ActivateAsync(sha256);
        var problem = await activate.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(sha256[..12], (string)problem["detail"]!);
        await AssertRunningReleaseStillServesAsync();
    }

    [Fact]
    public async Task A_release_that_does_not_compile_is_refused_listed_as_not_valid_and_cannot_be_activated()
    {
        var broken = Unique(ReleaseFiles.Repository).WithPackFile("Broken.cs", """
            namespace MgAuth.Rules.IvigMg;

            public static class Broken
            {
                public static int Twice(int x) => x * "two";
            }
            """);
        using var response = await Author.PublishAsync(broken, "does not compile");
        var problems = await RefusedAsync(response);
        Assert.Contains(problems, p => p.Contains("Broken.cs(5,", StringComparison.Ordinal) && p.Contains("CS0019", StringComparison.Ordinal));

        var listing = await Author.ListReleasesAsync();
        var view = listing.Release(broken.Sha256);
        Assert.False((bool)view["valid"]!);
        Assert.False((bool)view["active"]!);
        Assert.Equal("does not compile", (string)view["note"]!);
        Assert.Contains(view["problems"]!.AsArray(), p => ((string)p!).Contains("Broken.cs(5,", StringComparison.Ordinal));

        await AssertActivationRefusedAsync(broken.Sha256);
    }

    [Fact]
    public async Task A_release_with_a_failing_case_is_refused_naming_the_case_and_cannot_be_activated()
    {
        var release = Unique(ReleaseFiles.Repository);
        var flipped = release.WithPackFile(FlippedCase,
            release.Pack[FlippedCase].Replace("\"decision\": \"approve\"", "\"decision\": \"deny\"", StringComparison.Ordinal));
        Assert.NotEqual(release.Pack[FlippedCase], flipped.Pack[FlippedCase]);

        using var response = await Author.PublishAsync(flipped, "one case flipped");
        var problems = await RefusedAsync(response);
        var problem = Assert.Single(problems);
        Assert.Equal($"case {FlippedCase} failed: decision: expected \"deny\", got \"approve\"", problem);

        var view = (await Author.ListReleasesAsync()).Release(flipped.Sha256);
        Assert.False((bool)view["valid"]!);
        Assert.Equal(1, (int)view["casesFailed"]!);
        Assert.Equal(ReleaseFiles.Repository.Pack.Keys.Count(k => k.StartsWith("cases/", StringComparison.Ordinal) && k.EndsWith(".json", StringComparison.Ordinal)) - 1,
            (int)view["casesPassed"]!);

        await AssertActivationRefusedAsync(flipped.Sha256);
    }

    [Fact]
    public async Task A_rule_that_reads_a_file_is_refused_naming_the_file_and_line()
    {
        var sneaky = Unique(ReleaseFiles.Repository).WithPackFile("Sneaky.cs", """
            namespace MgAuth.Rules.IvigMg;

            [PolicyRow("§4 D1", "reads the server's files")]
            public sealed class Sneaky : Rule
            {
                public override void Define()
                {
                    Regimen r = null!;
                    When().Match(() => r, r => System.IO.File.Exists("/etc/passwd"));
                    Then().Do(ctx => ctx.Insert(new ModerateToSevere("file")));
                }
            }
            """);
        using var response = await Author.PublishAsync(sneaky, "reads a file");
        var problems = await RefusedAsync(response);
        Assert.Contains(problems, p => p.Contains("Sneaky.cs(9,", StringComparison.Ordinal) && p.Contains("System.IO.File", StringComparison.Ordinal)
            && p.Contains("is not allowed in a rule pack", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.Contains("Sneaky.cs(", p));

        Assert.False((bool)(await Author.ListReleasesAsync()).Release(sneaky.Sha256)["valid"]!);
        await AssertActivationRefusedAsync(sneaky.Sha256);
    }

    [Fact]
    public async Task Activating_an_unknown_release_is_404()
    {
        using var response = await Approver.ActivateAsync(new string('a', 64));
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Publishing_the_same_upload_twice_gives_the_same_release_already_published()
    {
        var release = Unique(CeilingRelease.Files);

        var first = await Author.PublishCreatedAsync(release, "first");
        Assert.False((bool)first["alreadyPublished"]!);
        Assert.True((bool)first["valid"]!);
        Assert.Equal(5, (int)first["casesPassed"]!);

        var second = await Author.PublishCreatedAsync(release, "second");
        Assert.True((bool)second["alreadyPublished"]!);
        Assert.Equal((string)first["sha256"]!, (string)second["sha256"]!);
        Assert.True((bool)second["valid"]!);
        Assert.Equal(5, (int)second["casesPassed"]!);

        var listing = await Author.ListReleasesAsync();
        var view = Assert.Single(listing["releases"]!.AsArray(), r => (string)r!["sha256"]! == release.Sha256)!;
        Assert.Equal("first", (string)view["note"]!);
        Assert.Equal(release.PackSha256, (string)view["packSha256"]!);
        Assert.Equal("ivig-mg", (string)view["packId"]!);
        Assert.Equal([CeilingRelease.NewVersion, CeilingRelease.NewVersion], view["policies"]!.AsArray().Select(p => (string)p!["version"]!));
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM rule_releases WHERE sha256 = @sha", ("@sha", release.Sha256)));
        // Published, not activated.
        await AssertRunningReleaseStillServesAsync();
    }

    [Fact]
    public async Task A_refused_release_published_again_is_refused_again()
    {
        var release = Unique(ReleaseFiles.Repository);
        var flipped = release.WithPackFile(FlippedCase,
            release.Pack[FlippedCase].Replace("\"decision\": \"approve\"", "\"decision\": \"deny\"", StringComparison.Ordinal));
        using (var first = await Author.PublishAsync(flipped)) Assert.Contains(FlippedCase, (await RefusedAsync(first)).Single());
        using (var second = await Author.PublishAsync(flipped)) Assert.Contains(FlippedCase, (await RefusedAsync(second)).Single());
        // Recorded once, as a refused upload (hash, size, who, why), not as a release with its content.
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM refused_uploads WHERE sha256 = @sha", ("@sha", flipped.Sha256)));
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM rule_releases WHERE sha256 = @sha", ("@sha", flipped.Sha256)));
    }
}
