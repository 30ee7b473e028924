namespace MgAuth.Api.Tests.Support;

/// <summary>The example requests in the repository's examples/ folder, as mutable JSON.</summary>
public static class Examples
{
    public const string Exacerbation = "exacerbation";
    public const string Crisis = "crisis";
    public const string OverCeiling = "over-ceiling";
    public const string PreThymectomy = "pre-thymectomy";
    public const string BridgingSteroids = "bridging-steroids";
    public const string RefractoryMaintenance = "refractory-maintenance";

    public static IReadOnlyList<string> All { get; } =
        [BridgingSteroids, Crisis, Exacerbation, OverCeiling, PreThymectomy, RefractoryMaintenance];

    /// <summary>The example exactly as it is in the repository.</summary>
    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.ExamplesFolder, name + ".json")))!.AsObject();

    /// <summary>The example for a member no other test uses, so history rules (§4 H1/H2) do not cross tests.</summary>
    public static JsonObject ForNewMember(string name) => ForMember(name, NewMemberId());

    public static JsonObject ForMember(string name, string memberId)
    {
        var request = Load(name);
        request["member"]!["id"] = memberId;
        return request;
    }

    /// <summary>An exacerbation request without score baselines: pended for documentation.</summary>
    public static JsonObject ExacerbationMissingBaselines(string? memberId = null)
    {
        var request = ForMember(Exacerbation, memberId ?? NewMemberId());
        request["clinical"]!["mgAdl"]!.AsObject().Remove("baseline");
        request["clinical"]!["qmg"]!.AsObject().Remove("baseline");
        return request;
    }

    /// <summary>The supplement that completes <see cref="ExacerbationMissingBaselines"/>.</summary>
    public static JsonObject BaselinesSupplement() =>
        new() { ["clinical"] = new JsonObject { ["mgAdl"] = new JsonObject { ["baseline"] = 6 }, ["qmg"] = new JsonObject { ["baseline"] = 11 } } };

    public static string NewMemberId() => "M-T" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
}
