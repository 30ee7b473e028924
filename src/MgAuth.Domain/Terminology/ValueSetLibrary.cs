using System.Collections.Immutable;
using System.Text.Json;
using MgAuth.Domain.Policies;

namespace MgAuth.Domain.Terminology;

/// <summary>
/// The value sets of a release: every <c>valuesets/*.json</c> of its policy files, each a FHIR ValueSet with its
/// url, version, contract fact and explicit concepts. Loading refuses a set that cannot be read, a url named twice
/// and a code that two products (or two agents) both claim, so a code always means one thing.
/// </summary>
public sealed class ValueSetLibrary
{
    /// <summary>The prefix value set files carry among a release's policy files.</summary>
    public const string Folder = "valuesets/";

    private ValueSetLibrary(ImmutableArray<ValueSetDefinition> sets) => All = sets;

    public ImmutableArray<ValueSetDefinition> All { get; }

    public static ValueSetLibrary Empty { get; } = new([]);

    /// <summary>The value sets that stand for a fact, in file order.</summary>
    public IEnumerable<ValueSetDefinition> For(string fact) => All.Where(s => s.Fact == fact);

    /// <summary>The first value set of a fact that holds the code, or null.</summary>
    public ValueSetDefinition? Find(string fact, string? system, string? code) => For(fact).FirstOrDefault(s => s.Contains(system, code));

    public ValueSetDefinition? ByUrl(string url) => All.FirstOrDefault(s => s.Url == url);

    /// <summary>The value set files of a folder, keyed as a release keeps them (<c>valuesets/name.json</c>); none when the folder is absent.</summary>
    public static IReadOnlyDictionary<string, string> ReadFolder(string folder) =>
        !Directory.Exists(folder)
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal)
                .ToDictionary(path => Folder + Path.GetFileName(path), File.ReadAllText, StringComparer.Ordinal);

    public static bool IsValueSetFile(string name) => name.StartsWith(Folder, StringComparison.Ordinal);

    /// <summary>Reads the value set files among a release's files (others are ignored); throws with every problem.</summary>
    public static ValueSetLibrary Parse(IReadOnlyDictionary<string, string> files)
    {
        var problems = new List<string>();
        var sets = new List<ValueSetDefinition>();
        foreach (var (name, text) in files.Where(f => IsValueSetFile(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal))
            if (Read(name, text, problems) is { } set) sets.Add(set);

        foreach (var twice in sets.GroupBy(s => s.Url).Where(g => g.Count() > 1))
            problems.Add($"{twice.Last().File}: url {twice.Key} is already the url of {twice.First().File}");
        foreach (var family in ContractFacts.Exclusive)
        {
            var owner = new Dictionary<(string, string), ValueSetDefinition>();
            foreach (var set in sets.Where(s => family.Contains(s.Fact)))
                foreach (var concept in set.Concepts)
                {
                    var key = (concept.System, CodeKey.Of(concept.System, concept.Code));
                    if (!owner.TryAdd(key, set))
                        problems.Add($"{set.File}: {concept.System}|{concept.Code} is already in {owner[key].File} ({owner[key].Title}); a code names one {Kind(set.Fact)}");
                }
        }
        if (problems.Count > 0) throw new PolicyLoadException(Folder, problems);
        return new ValueSetLibrary([.. sets]);
    }

    private static string Kind(string fact) => fact == ContractFacts.TherapyAgent ? "agent" : "product";

    private static ValueSetDefinition? Read(string file, string text, List<string> problems)
    {
        var before = problems.Count;
        void Fail(string problem) => problems.Add($"{file}: {problem}");
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "resourceType") != "ValueSet")
            {
                Fail("must be a FHIR ValueSet");
                return null;
            }
            var url = Required(root, "url", Fail);
            var version = Required(root, "version", Fail);
            var title = Required(root, "title", Fail);
            var fact = FactOf(root);
            if (fact is null) Fail($"needs the extension {ContractFacts.ExtensionUrl} naming the contract fact its codes stand for");
            else if (!ContractFacts.All.Contains(fact)) Fail($"names the fact {fact}, which is not one of {string.Join(", ", ContractFacts.All.Order(StringComparer.Ordinal))}");

            var concepts = ImmutableArray.CreateBuilder<ValueSetConcept>();
            var includes = root.TryGetProperty("compose", out var compose) && compose.TryGetProperty("include", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().ToArray()
                : [];
            if (includes.Length == 0) Fail("compose.include must list the codes (explicit concepts; a release does not expand a filter)");
            for (var i = 0; i < includes.Length; i++)
            {
                var at = $"compose.include[{i}]";
                var system = Text(includes[i], "system");
                var systemVersion = Text(includes[i], "version");
                if (system is null) Fail($"{at}.system is required");
                if (systemVersion is null) Fail($"{at}.version is required (the edition of {system ?? "the code system"} the codes come from)");
                if (includes[i].TryGetProperty("filter", out _) || includes[i].TryGetProperty("valueSet", out _))
                    Fail($"{at} must list its concepts; filters and imported value sets are not expanded");
                var listed = includes[i].TryGetProperty("concept", out var c) && c.ValueKind == JsonValueKind.Array ? c.EnumerateArray().ToArray() : [];
                if (listed.Length == 0) Fail($"{at}.concept must list at least one code");
                foreach (var concept in listed)
                {
                    if (Text(concept, "code") is not { Length: > 0 } code) Fail($"{at}.concept: every concept needs a code");
                    else if (system is not null) concepts.Add(new ValueSetConcept(system, systemVersion ?? "", code, Text(concept, "display")));
                }
            }
            foreach (var twice in concepts.GroupBy(c => (c.System, CodeKey.Of(c.System, c.Code))).Where(g => g.Count() > 1))
                Fail($"names {twice.Key.System}|{twice.First().Code} twice");
            return problems.Count > before ? null : new ValueSetDefinition(file, url!, version!, title!, fact!, concepts.ToImmutable());
        }
        catch (JsonException e)
        {
            Fail("is not JSON: " + e.Message);
            return null;
        }
    }

    private static string? FactOf(JsonElement root) =>
        root.TryGetProperty("extension", out var extensions) && extensions.ValueKind == JsonValueKind.Array
            ? extensions.EnumerateArray().Where(e => Text(e, "url") == ContractFacts.ExtensionUrl).Select(e => Text(e, "valueString")).FirstOrDefault()
            : null;

    private static string? Required(JsonElement root, string name, Action<string> fail)
    {
        var value = Text(root, name);
        if (string.IsNullOrWhiteSpace(value)) fail($"{name} is required");
        return value;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
