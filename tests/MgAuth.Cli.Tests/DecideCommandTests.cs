using System.Text.Json;
using System.Text.Json.Nodes;

namespace MgAuth.Cli.Tests;

/// <summary><c>mgauth decide</c> as the contract's CLI section specifies it.</summary>
public class DecideCommandTests
{
    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static string[] Codes(JsonElement decision) =>
        decision.GetProperty("reasons").EnumerateArray().Select(r => Text(r, "code")).ToArray();

    private static JsonObject ExampleNode(string name) => JsonNode.Parse(File.ReadAllText(Mgauth.Example(name)))!.AsObject();

    [Theory]
    [InlineData("exacerbation.json", "approve", "approved", "A1", "standard")]
    [InlineData("over-ceiling.json", "deny", "pended", "A4", "standard")]
    [InlineData("crisis.json", "approve", "approved", "A1", "expedited")]
    [InlineData("pre-thymectomy.json", "approve", "approved", "A1", "standard")]
    [InlineData("bridging-steroids.json", "approve", "approved", "A1", "standard")]
    [InlineData("refractory-maintenance.json", "approve", "approved", "A1", "standard")]
    public async Task Each_example_is_decided_with_exit_code_0(string example, string decision, string status, string x12, string urgency)
    {
        var run = await Mgauth.DecideAsync(Mgauth.Example(example));

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = run.Json;
        Assert.Equal(decision, Text(json, "decision"));
        Assert.Equal(status, Text(json, "status"));
        Assert.Equal(x12, Text(json, "x12ReviewAction"));
        Assert.Equal(urgency, Text(json, "urgency"));
        Assert.Equal(Mgauth.AsOf, Text(json, "asOf"));
        Assert.Equal("ivig-mg", Text(json.GetProperty("rulePack"), "id"));
        Assert.Matches("^[0-9a-f]{64}$", Text(json.GetProperty("rulePack"), "sha256"));
        Assert.Equal("ivig-mg-standard", Text(json.GetProperty("policy"), "id"));
        Assert.NotEqual(0, json.GetProperty("trace").GetArrayLength());
        Assert.False(json.TryGetProperty("explain", out _), "explain is only added with --explain");
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task The_over_ceiling_example_is_denied_pending_signoff_with_an_approvable_160_g_course()
    {
        var json = (await Mgauth.DecideAsync(Mgauth.Example("over-ceiling.json"))).Json;

        Assert.Equal("medical_necessity", Text(json, "denialKind"));
        Assert.Equal(160, json.GetProperty("approvableAlternative").GetProperty("courseGrams").GetDecimal());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("authorized").ValueKind);
        Assert.Contains("DOSE_ABOVE_COURSE_CEILING", Codes(json));
        Assert.Equal(312, json.GetProperty("requested").GetProperty("courseGrams").GetDecimal());
    }

    [Theory]
    [InlineData("exacerbation.json", 150, 1, 150, "2026-12-01", "2026-12-30")]
    [InlineData("crisis.json", 110, 1, 110, "2026-11-30", "2026-12-29")]
    [InlineData("pre-thymectomy.json", 116, 1, 116, "2026-12-03", "2027-01-01")]
    [InlineData("bridging-steroids.json", 150, 1, 150, "2026-12-02", "2026-12-31")]
    [InlineData("refractory-maintenance.json", 66, 6, 396, "2026-12-07", "2027-05-23")]
    public async Task Approved_examples_carry_the_authorized_regimen_and_period(
        string example, int courseGrams, int cycles, int totalGrams, string validFrom, string validThrough)
    {
        var authorized = (await Mgauth.DecideAsync(Mgauth.Example(example))).Json.GetProperty("authorized");

        Assert.Equal(courseGrams, authorized.GetProperty("courseGrams").GetDecimal());
        Assert.Equal(cycles, authorized.GetProperty("cycles").GetInt32());
        Assert.Equal(totalGrams, authorized.GetProperty("totalGrams").GetDecimal());
        Assert.Equal(validFrom, Text(authorized, "validFrom"));
        Assert.Equal(validThrough, Text(authorized, "validThrough"));
    }

    [Fact]
    public async Task Several_files_give_one_json_object_a_line_naming_each_file()
    {
        var files = Mgauth.ExampleNames.Select(Mgauth.Example).ToArray();

        var run = await Mgauth.DecideAsync(files);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Lines;
        Assert.Equal(files.Length, lines.Count);
        Assert.Equal(files.Length, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(files[i], Text(lines[i], "file"));
            Assert.False(lines[i].TryGetProperty("problem", out _));
            var expected = files[i].EndsWith("over-ceiling.json", StringComparison.Ordinal) ? "deny" : "approve";
            Assert.Equal(expected, Text(lines[i].GetProperty("decision"), "decision"));
        }
    }

    [Fact]
    public async Task A_dash_reads_the_request_from_stdin()
    {
        var run = await Mgauth.RunWithStdinAsync(File.ReadAllText(Mgauth.Example("crisis.json")), "decide", "-", "--as-of", Mgauth.AsOf);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("approve", Text(run.Json, "decision"));
        Assert.Equal("expedited", Text(run.Json, "urgency"));
    }

    [Fact]
    public async Task Stdin_and_files_mix_in_one_run()
    {
        var run = await Mgauth.RunWithStdinAsync(File.ReadAllText(Mgauth.Example("over-ceiling.json")),
            "decide", Mgauth.Example("exacerbation.json"), "-", "--as-of", Mgauth.AsOf);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Lines.Count);
        Assert.Equal("-", Text(run.Lines[1], "file"));
        Assert.Equal("deny", Text(run.Lines[1].GetProperty("decision"), "decision"));
    }

    [Fact]
    public async Task A_file_that_is_not_json_is_rejected_with_exit_2_and_a_problem_document()
    {
        using var temp = new TempFiles();
        var file = temp.Write("broken.json", "{ \"indication\": \"exacerbation\", ");

        var run = await Mgauth.DecideAsync(file);

        Assert.True(run.ExitCode == 2, run.ToString());
        var problem = run.Json;
        Assert.False(string.IsNullOrEmpty(Text(problem, "type")));
        Assert.False(string.IsNullOrEmpty(Text(problem, "title")));
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Object, problem.GetProperty("errors").ValueKind);
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
        Assert.False(problem.TryGetProperty("decision", out _));
    }

    [Fact]
    public async Task An_invalid_request_is_rejected_naming_every_bad_field_at_once()
    {
        var request = ExampleNode("exacerbation.json");
        var member = request["member"]!.AsObject();
        member.Remove("id");
        member["weightKg"] = "heavy";
        member["sex"] = "robot";
        member["birthDate"] = "2030-01-01";
        request["regimen"]!["cycles"] = 3;
        using var temp = new TempFiles();
        var file = temp.Write("invalid.json", request.ToJsonString());

        var run = await Mgauth.DecideAsync(file);

        Assert.True(run.ExitCode == 2, run.ToString());
        var problem = run.Json;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        foreach (var path in new[] { "member.id", "member.weightKg", "member.sex", "member.birthDate", "regimen.intervalDays" })
        {
            Assert.True(errors.ContainsKey(path), $"no error for {path}: {string.Join(", ", errors.Keys)}");
            Assert.NotEqual(0, errors[path].GetArrayLength());
        }
    }

    [Fact]
    public async Task Valid_files_are_still_decided_beside_invalid_ones_and_the_run_exits_2()
    {
        using var temp = new TempFiles();
        var broken = temp.Write("broken.json", "not json at all");
        var missing = Path.Combine(temp.Folder, "does-not-exist.json");

        var run = await Mgauth.DecideAsync(Mgauth.Example("exacerbation.json"), broken, missing, Mgauth.Example("crisis.json"));

        Assert.True(run.ExitCode == 2, run.ToString());
        var lines = run.Lines;
        Assert.Equal(4, lines.Count);
        Assert.Equal("approve", Text(lines[0].GetProperty("decision"), "decision"));
        Assert.Equal(broken, Text(lines[1], "file"));
        Assert.Equal(400, lines[1].GetProperty("problem").GetProperty("status").GetInt32());
        Assert.Equal(missing, Text(lines[2], "file"));
        Assert.Equal(400, lines[2].GetProperty("problem").GetProperty("status").GetInt32());
        Assert.Equal(Mgauth.Example("crisis.json"), Text(lines[3], "file"));
        Assert.Equal("approve", Text(lines[3].GetProperty("decision"), "decision"));
    }

    [Fact]
    public async Task The_restrictive_policy_denies_the_refractory_maintenance_example_as_chronic()
    {
        var run = await Mgauth.DecideAsync(Mgauth.Example("refractory-maintenance.json"), "--policy", "ivig-mg-restrictive");

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = run.Json;
        Assert.Equal("deny", Text(json, "decision"));
        Assert.Equal("ivig-mg-restrictive", Text(json.GetProperty("policy"), "id"));
        Assert.Contains("CHRONIC_MAINTENANCE_NOT_COVERED", Codes(json));
        var deny = json.GetProperty("reasons").EnumerateArray().Single(r => Text(r, "effect") == "deny");
        Assert.Equal("CHRONIC_MAINTENANCE_NOT_COVERED", Text(deny, "code"));
    }

    [Fact]
    public async Task A_policy_named_in_the_request_is_used()
    {
        var request = ExampleNode("refractory-maintenance.json");
        request["policyId"] = "ivig-mg-restrictive";
        using var temp = new TempFiles();

        var run = await Mgauth.DecideAsync(temp.Write("restrictive.json", request.ToJsonString()));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("ivig-mg-restrictive", Text(run.Json.GetProperty("policy"), "id"));
        Assert.Contains("CHRONIC_MAINTENANCE_NOT_COVERED", Codes(run.Json));
    }

    [Fact]
    public async Task A_request_naming_an_unknown_policy_is_rejected_on_policyId()
    {
        var request = ExampleNode("exacerbation.json");
        request["policyId"] = "ivig-mg-generous";
        using var temp = new TempFiles();

        var run = await Mgauth.DecideAsync(temp.Write("unknown-policy.json", request.ToJsonString()));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.True(run.Json.GetProperty("errors").TryGetProperty("policyId", out _), run.ToString());
    }

    [Fact]
    public async Task An_unknown_policy_option_exits_2_and_says_which()
    {
        var run = await Mgauth.DecideAsync(Mgauth.Example("exacerbation.json"), "--policy", "nope");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("nope", run.Stderr);
        Assert.DoesNotContain("\"decision\"", run.Stdout);
    }

    [Fact]
    public async Task Explain_adds_why_each_rule_that_did_not_fire_did_not()
    {
        var run = await Mgauth.DecideAsync(Mgauth.Example("exacerbation.json"), "--explain");

        Assert.True(run.ExitCode == 0, run.ToString());
        var explain = run.Json.GetProperty("explain");
        Assert.Equal(JsonValueKind.Array, explain.ValueKind);
        Assert.NotEqual(0, explain.GetArrayLength());
        var fired = run.Json.GetProperty("trace").EnumerateArray().Select(t => Text(t, "rule")).ToHashSet();
        Assert.All(explain.EnumerateArray(), e =>
        {
            Assert.DoesNotContain(Text(e, "rule"), fired);
            Assert.False(string.IsNullOrEmpty(Text(e, "reason")));
        });
        var pediatric = explain.EnumerateArray().Single(e => Text(e, "rule") == "PediatricRequest");
        Assert.Contains("m.Age", Text(pediatric, "condition"));
        Assert.Equal(69, pediatric.GetProperty("values").GetProperty("m.Age").GetInt32());
    }

    [Fact]
    public async Task A_missing_file_exits_2_with_a_problem_naming_it()
    {
        using var temp = new TempFiles();
        var missing = Path.Combine(temp.Folder, "nowhere.json");

        var run = await Mgauth.DecideAsync(missing);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(400, run.Json.GetProperty("status").GetInt32());
        Assert.Contains("nowhere.json", run.Stdout);
    }

    [Fact]
    public async Task Decide_without_a_file_exits_2()
    {
        var run = await Mgauth.RunAsync("decide", "--as-of", Mgauth.AsOf);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("decide needs at least one FILE", run.Stderr);
    }

    [Fact]
    public async Task A_malformed_as_of_date_exits_2()
    {
        var run = await Mgauth.RunAsync("decide", Mgauth.Example("exacerbation.json"), "--as-of", "22/11/2026");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--as-of must be a date as YYYY-MM-DD, got '22/11/2026'", run.Stderr);
    }

    [Fact]
    public async Task The_decision_depends_on_as_of()
    {
        // Born 2008-11-23: 17 on 2026-11-22, 18 on 2026-11-23.
        var request = ExampleNode("exacerbation.json");
        request["member"]!["birthDate"] = "2008-11-23";
        using var temp = new TempFiles();
        var file = temp.Write("teen.json", request.ToJsonString());

        var minor = await Mgauth.RunAsync("decide", file, "--as-of", "2026-11-22");
        var adult = await Mgauth.RunAsync("decide", file, "--as-of", "2026-11-23");

        Assert.Equal("review", Text(minor.Json, "decision"));
        Assert.Contains("PEDIATRIC_REQUEST", Codes(minor.Json));
        Assert.Equal("approve", Text(adult.Json, "decision"));
        Assert.Equal("2026-11-23", Text(adult.Json, "asOf"));
    }
}
