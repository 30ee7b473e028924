using System.Text.RegularExpressions;

namespace MgAuth.Cli.Tests;

/// <summary><c>mgauth rules test</c> (cases, coverage, minimum coverage) and <c>mgauth rules publish</c> refusing a failing pack.</summary>
public sealed class RulesCommandTests
{
    private const string FlippedCase = "cases/016-dose-course-exactly-at-ceiling-140.json";

    /// <summary>A copy of the repository's pack in a temporary folder (no bin/ or obj/), to change.</summary>
    private static string CopyPack(TempFiles temp)
    {
        var target = Path.Combine(temp.Folder, "ivig-mg");
        foreach (var file in Directory.EnumerateFiles(Mgauth.RulesFolder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Mgauth.RulesFolder, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    private static string FlipCase(string pack)
    {
        var path = Path.Combine(pack, FlippedCase);
        var text = File.ReadAllText(path);
        var flipped = text.Replace("\"decision\": \"approve\"", "\"decision\": \"deny\"", StringComparison.Ordinal);
        Assert.NotEqual(text, flipped);
        File.WriteAllText(path, flipped);
        return pack;
    }

    /// <summary>A rule whose condition cannot hold (a course of negative grams), on a policy row of its own.</summary>
    private const string NeverFires = """
        namespace MgAuth.Rules.IvigMg;

        [PolicyRow("§9 Z1", "a row no case can reach")]
        public sealed class NegativeCourseNeverRequested : Rule
        {
            public override void Define()
            {
                Policy p = null!;
                Regimen r = null!;
                When()
                    .Match(() => p)
                    .Match(() => r, r => r.CourseGrams < 0);
                Then().Do(ctx => ctx.Insert(new ModerateToSevere("impossible")));
            }
        }
        """;

    private static int CaseFiles(string pack) => Directory.EnumerateFiles(Path.Combine(pack, "cases"), "*.json").Count();

    [Fact]
    public async Task Rules_test_with_coverage_passes_every_case_and_covers_every_rule_and_policy_row()
    {
        var run = await Mgauth.RunAsync("rules", "test", Mgauth.RulesFolder, "--coverage");

        Assert.True(run.ExitCode == 0, run.ToString());
        var cases = CaseFiles(Mgauth.RulesFolder);
        Assert.Equal(cases, Regex.Matches(run.Stdout, @"^PASS  cases/\S+\.json  \[ivig-mg-(standard|restrictive)\]\r?$", RegexOptions.Multiline).Count);
        Assert.DoesNotContain("FAIL", run.Stdout);
        Assert.Contains($"{cases} passed, 0 failed  (pack ivig-mg ", run.Stdout);
        var coverage = Regex.Match(run.Stdout, @"coverage: rules (\d+)/(\d+) \(([\d.]+)%\), policy rows (\d+)/(\d+) \(([\d.]+)%\)");
        Assert.True(coverage.Success, run.ToString());
        Assert.Equal(coverage.Groups[2].Value, coverage.Groups[1].Value);
        Assert.Equal(coverage.Groups[5].Value, coverage.Groups[4].Value);
        Assert.Equal("100.0", coverage.Groups[3].Value);
        Assert.Equal("100.0", coverage.Groups[6].Value);
        // Every rule class of the pack is counted.
        var ruleClasses = Directory.EnumerateFiles(Mgauth.RulesFolder, "*.cs")
            .Sum(f => Regex.Matches(File.ReadAllText(f), @"\bclass\s+\w+\s*:\s*Rule\b").Count);
        Assert.Equal(ruleClasses.ToString(System.Globalization.CultureInfo.InvariantCulture), coverage.Groups[2].Value);
        Assert.DoesNotContain("never fired", run.Stdout);
        Assert.DoesNotContain("never reached", run.Stdout);
    }

    [Fact]
    public async Task Rules_test_with_min_coverage_100_passes_on_the_repository_pack()
    {
        var run = await Mgauth.RunAsync("rules", "test", Mgauth.RulesFolder, "--min-coverage", "100");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("below the required", run.Stdout);
    }

    [Fact]
    public async Task Rules_test_fails_on_a_case_whose_expected_decision_is_flipped_and_shows_the_difference()
    {
        using var temp = new TempFiles();
        var pack = FlipCase(CopyPack(temp));

        var run = await Mgauth.RunAsync("rules", "test", pack);

        Assert.NotEqual(0, run.ExitCode);
        var lines = run.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var fail = lines.FindIndex(l => l == $"FAIL  {FlippedCase}  [ivig-mg-standard]");
        Assert.True(fail >= 0, run.ToString());
        Assert.Equal("        decision: expected \"deny\", got \"approve\"", lines[fail + 1]);
        Assert.Single(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Contains($"{CaseFiles(pack) - 1} passed, 1 failed", run.Stdout);
    }

    [Fact]
    public async Task Rules_test_with_a_minimum_coverage_above_100_fails()
    {
        var run = await Mgauth.RunAsync("rules", "test", Mgauth.RulesFolder, "--min-coverage", "101");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("coverage is below the required 101%", run.Stdout);
        Assert.DoesNotContain("FAIL", run.Stdout);
    }

    [Fact]
    public async Task A_rule_that_never_fires_is_listed_by_coverage_and_fails_min_coverage_100()
    {
        using var temp = new TempFiles();
        var pack = CopyPack(temp);
        File.WriteAllText(Path.Combine(pack, "NeverFires.cs"), NeverFires);

        var coverage = await Mgauth.RunAsync("rules", "test", pack, "--coverage");
        Assert.True(coverage.ExitCode == 0, coverage.ToString()); // every case still passes; coverage alone does not fail
        Assert.Contains("  rule never fired: NegativeCourseNeverRequested", coverage.Stdout);
        Assert.Contains("  policy row never reached: §9 Z1", coverage.Stdout);
        Assert.Single(Regex.Matches(coverage.Stdout, "never fired"));
        var counts = Regex.Match(coverage.Stdout, @"coverage: rules (\d+)/(\d+) .*policy rows (\d+)/(\d+)");
        Assert.Equal(int.Parse(counts.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) - 1,
            int.Parse(counts.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(int.Parse(counts.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture) - 1,
            int.Parse(counts.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));

        var minimum = await Mgauth.RunAsync("rules", "test", pack, "--min-coverage", "100");
        Assert.NotEqual(0, minimum.ExitCode);
        Assert.Contains("rule never fired: NegativeCourseNeverRequested", minimum.Stdout);
        Assert.Contains("coverage is below the required 100%", minimum.Stdout);
    }

    [Fact]
    public async Task Rules_publish_refuses_a_pack_with_a_failing_case_and_it_cannot_be_activated()
    {
        using var temp = new TempFiles();
        var pack = FlipCase(CopyPack(temp));
        var database = Path.Combine(temp.Folder, "mgauth.db");

        var run = await Mgauth.RunAsync("rules", "publish", pack, "--db", database, "--by", "author");

        Assert.NotEqual(0, run.ExitCode);
        var refused = System.Text.RegularExpressions.Regex.Match(run.Stdout, @"release ([0-9a-f]{64}): REFUSED, cases \d+ passed, 1 failed");
        Assert.True(refused.Success, run.ToString());
        Assert.Contains($"case {FlippedCase} failed: decision: expected \"deny\", got \"approve\"", run.Stdout);

        var activate = await Mgauth.RunAsync("rules", "activate", refused.Groups[1].Value, "--db", database, "--by", "approver");
        Assert.Equal(2, activate.ExitCode);
        Assert.Contains("failed its cases", activate.Stderr);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
