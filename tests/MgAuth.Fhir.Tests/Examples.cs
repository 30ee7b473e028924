using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir.Tests;

/// <summary>The repository's contract examples (examples/*.json), read as the JSON API reads them.</summary>
public static class Examples
{
    public static readonly DateOnly AsOf = new(2026, 11, 22);

    public static string Root { get; } = FindRoot();

    public static IEnumerable<string> Files => Directory.EnumerateFiles(Path.Combine(Root, "examples"), "*.json").Order(StringComparer.Ordinal);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var file in Files) data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    public static string Json(string name) => File.ReadAllText(Path.Combine(Root, "examples", name + ".json"));

    public static AuthorizationRequest Request(string name) => Read(Json(name));

    public static AuthorizationRequest Read(string json)
    {
        var read = RequestReader.Read(json, AsOf);
        Assert.True(read.IsValid, JsonSerializer.Serialize(read.Problem));
        return read.Request!;
    }

    /// <summary>A request as the contract's JSON, for comparing two requests field by field.</summary>
    public static JsonNode Canonical(AuthorizationRequest request) => JsonSerializer.SerializeToNode(request, MgAuthJson.Compact)!;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MgAuth.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (MgAuth.sln) above the test binaries.");
    }
}
