using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using MgAuth.Fhir;

namespace MgAuth.Cli.Tests;

/// <summary><c>mgauth fhir bundle FILE...</c>: contract requests as PAS request Bundles, read back as the same requests.</summary>
public class FhirCommandTests
{
    private static readonly DateOnly AsOf = DateOnly.ParseExact(Mgauth.AsOf, "yyyy-MM-dd");

    private static Task<CliRun> BundleAsync(params string[] files) => Mgauth.RunAsync(["fhir", "bundle", .. files, "--as-of", Mgauth.AsOf]);

    // The request as the contract reads it, for comparing two requests field by field.
    private static string Canonical(AuthorizationRequest request) => JsonSerializer.Serialize(request, MgAuthJson.Compact);

    private static string ExampleRequest(string name) => Canonical(RequestReader.Read(File.ReadAllText(Mgauth.Example(name)), AsOf).Request!);

    private static string RequestIn(string bundleJson)
    {
        var submission = PasRequestReader.Read(bundleJson, ValueSets.Shipped);
        Assert.True(submission.Kind == SubmissionKind.Ivig, string.Join("; ", submission.Problems));
        return Canonical(RequestReader.Read(submission.Request!.ToJsonString(), AsOf).Request!);
    }

    [Fact]
    public async Task One_file_prints_its_Bundle_which_reads_back_as_the_same_request()
    {
        var run = await BundleAsync(Mgauth.Example("exacerbation.json"));

        Assert.True(run.ExitCode == Cli.Ok, run.ToString());
        Assert.Equal("Bundle", run.Json.GetProperty("resourceType").GetString());
        Assert.Equal(ExampleRequest("exacerbation.json"), RequestIn(run.Stdout));
    }

    [Fact]
    public async Task Several_files_print_one_compact_Bundle_a_line_in_order()
    {
        var run = await BundleAsync([.. Mgauth.ExampleNames.Select(Mgauth.Example)]);

        Assert.True(run.ExitCode == Cli.Ok, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Mgauth.ExampleNames.Length, lines.Length);
        for (var i = 0; i < lines.Length; i++)
            Assert.Equal(ExampleRequest(Mgauth.ExampleNames[i]), RequestIn(lines[i]));
    }

    [Fact]
    public async Task A_bad_request_is_a_problem_naming_each_bad_field_and_exit_2()
    {
        using var files = new TempFiles();
        var request = JsonNode.Parse(File.ReadAllText(Mgauth.Example("crisis.json")))!.AsObject();
        request["member"]!.AsObject().Remove("birthDate");
        request["regimen"]!["gramsPerDay"] = "a lot";
        var bad = files.Write("bad.json", request.ToJsonString());

        var one = await BundleAsync(bad);
        var several = await BundleAsync(Mgauth.Example("crisis.json"), bad);

        Assert.Equal(Cli.Rejected, one.ExitCode);
        var errors = one.Json.GetProperty("errors");
        Assert.True(errors.TryGetProperty("member.birthDate", out _), one.ToString());
        Assert.True(errors.TryGetProperty("regimen.gramsPerDay", out _), one.ToString());
        Assert.Equal(400, one.Json.GetProperty("status").GetInt32());

        Assert.Equal(Cli.Rejected, several.ExitCode);
        Assert.Equal("Bundle", several.Lines[0].GetProperty("resourceType").GetString());
        Assert.Equal(bad, several.Lines[1].GetProperty("file").GetString());
        Assert.True(several.Lines[1].GetProperty("problem").GetProperty("errors").TryGetProperty("member.birthDate", out _));
    }

    [Fact]
    public async Task Without_a_file_it_is_a_usage_error()
    {
        var run = await Mgauth.RunAsync("fhir", "bundle");

        Assert.Equal(Cli.Rejected, run.ExitCode);
        Assert.Contains("fhir bundle needs at least one FILE", run.Stderr);
    }
}
