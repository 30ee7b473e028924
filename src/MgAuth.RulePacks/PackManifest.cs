using YamlDotNet.RepresentationModel;

namespace MgAuth.RulePacks;

/// <summary>
/// <c>pack.yaml</c>: what the pack is called, which version it claims to be, and which earlier packs
/// it is a faithful port of (<c>supersedes</c>: their SHA-256s), so their decisions replay on it.
/// </summary>
public sealed record PackManifest(string Id, string Version, string Description)
{
    public IReadOnlyList<string> Supersedes { get; init; } = [];

    public static PackManifest Parse(PackSource source)
    {
        var file = source.Find("pack.yaml") ?? throw new RulePackException(source.Name, [$"{source.Name}/pack.yaml is missing"]);
        var stream = new YamlStream();
        try { stream.Load(new StringReader(file.Text)); }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new RulePackException(source.Name, [$"{source.Name}/pack.yaml:{e.Start.Line}: {e.Message}"]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives up this way on some unclosed flow collections ("id: [a").
            throw new RulePackException(source.Name, [$"{source.Name}/pack.yaml: not YAML (an unclosed [ or {{?)"]);
        }
        var root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
        string Read(string key) =>
            root?.Children.TryGetValue(new YamlScalarNode(key), out var node) == true && node is YamlScalarNode { Value: { Length: > 0 } value }
                ? value
                : throw new RulePackException(source.Name, [$"{source.Name}/pack.yaml: '{key}' is missing"]);
        var supersedes = root?.Children.TryGetValue(new YamlScalarNode("supersedes"), out var list) == true
            ? list is YamlSequenceNode items && items.All(i => i is YamlScalarNode { Value.Length: 64 })
                ? items.Select(i => ((YamlScalarNode)i).Value!).ToArray()
                : throw new RulePackException(source.Name, [$"{source.Name}/pack.yaml:{list.Start.Line}: 'supersedes' is a list of pack SHA-256s"])
            : [];
        return new PackManifest(Read("id"), Read("version"), Read("description")) { Supersedes = supersedes };
    }
}

/// <summary>A pack that cannot be loaded: compile errors, refused code, a bad manifest. Each problem names its file and line.</summary>
public sealed class RulePackException(string pack, IReadOnlyList<string> problems)
    : Exception($"Rule pack {pack} cannot be loaded:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
