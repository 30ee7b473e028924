using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using MgAuth.Testing;

namespace MgAuth.Fhir.Tests;

/// <summary>The repository's contract examples (examples/*.json), read as the JSON API reads them.</summary>
public static class Examples
{
    public static readonly DateOnly AsOf = new(2026, 11, 22);

    public static string Root => RepositoryFolders.Root;

    public static IEnumerable<string> Files => Directory.EnumerateFiles(RepositoryFolders.Examples, "*.json").Order(StringComparer.Ordinal);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var file in Files) data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    public static string Json(string name) => File.ReadAllText(Path.Combine(RepositoryFolders.Examples, name + ".json"));

    public static AuthorizationRequest Request(string name) => Read(Json(name));

    public static AuthorizationRequest Read(string json)
    {
        var read = RequestReader.Read(json, AsOf);
        Assert.True(read.IsValid, JsonSerializer.Serialize(read.Problem));
        return read.Request!;
    }

    /// <summary>A request as the contract's JSON, for comparing two requests field by field.</summary>
    public static JsonNode Canonical(AuthorizationRequest request) => JsonSerializer.SerializeToNode(request, MgAuthJson.Compact)!;
}
