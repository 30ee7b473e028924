using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MgAuth.Domain.Policies;

/// <summary>
/// Resolves the files of one policy set. A file with <c>extends: &lt;id&gt;</c> is merged over its base at
/// the YAML level (mappings key by key, scalars and lists replaced) and read as the merged document, whose
/// text becomes its source: it loads alone, so a stored version replays without its base.
/// </summary>
internal sealed class PolicySetReader(IReadOnlyDictionary<string, string> files)
{
    private static readonly YamlScalarNode ExtendsKey = new("extends");
    private static readonly YamlScalarNode IdKey = new("id");

    private readonly Dictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);
    private readonly List<string> _resolving = [];
    private Dictionary<string, string>? _fileById;

    /// <summary>A file's policy and its resolved document, or why it cannot be used.</summary>
    public sealed record Loaded(Policy? Policy, YamlMappingNode? Root, PolicyLoadException? Problem);

    public Loaded Resolve(string file)
    {
        if (_loaded.TryGetValue(file, out var loaded)) return loaded;
        _resolving.Add(file);
        try { loaded = Load(file); }
        catch (PolicyLoadException e) { loaded = new Loaded(null, null, e); }
        _resolving.Remove(file);
        return _loaded[file] = loaded;
    }

    private Loaded Load(string file)
    {
        var text = files[file];
        var root = PolicyLoader.Document(text, file);
        if (!root.Children.TryGetValue(ExtendsKey, out var extends)) return new Loaded(PolicyLoader.Read(root, file, text), root, null);
        root.Children.Remove(ExtendsKey);
        var merged = Overlay(Base(file, extends), root);
        return new Loaded(PolicyLoader.Read(merged, file, Emit(merged)), merged, null);
    }

    /// <summary>The resolved document of the policy <paramref name="extends"/> names, refused when unknown, cyclic or unusable.</summary>
    private YamlMappingNode Base(string file, YamlNode extends)
    {
        string Problem(string problem) => $"{file}:{extends.Start.Line}: parameter 'extends' {problem}";
        if (extends is not YamlScalarNode { Value: { Length: > 0 } id })
            throw new PolicyLoadException(file, [Problem("must be the id of another policy of the set")]);
        if (FileOf(id) is not { } baseFile)
            throw new PolicyLoadException(file, [Problem($"names {id}, which is not a policy of this set ({string.Join(", ", _fileById!.Keys)})")]);
        var cycle = _resolving.IndexOf(baseFile);
        if (cycle >= 0)
            throw new PolicyLoadException(file, [Problem($"names {id}, which makes a cycle: {string.Join(" -> ", _resolving[cycle..].Append(baseFile))}")]);
        var basis = Resolve(baseFile);
        return basis.Root ?? throw new PolicyLoadException(file,
            [Problem($"names {id}, whose file {baseFile} cannot be loaded"), .. basis.Problem!.Problems]);
    }

    private string? FileOf(string id)
    {
        _fileById ??= files.Keys.Order(StringComparer.Ordinal).GroupBy(IdOf, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _fileById.GetValueOrDefault(id);
    }

    // A file that cannot be parsed still answers to its name, so extending it says it cannot be loaded rather than unknown.
    private string IdOf(string file)
    {
        try
        {
            if (PolicyLoader.Document(files[file], file).Children.TryGetValue(IdKey, out var id) && id is YamlScalarNode { Value: { Length: > 0 } value })
                return value;
        }
        catch (PolicyLoadException) { }
        return Path.GetFileNameWithoutExtension(file);
    }

    /// <summary>
    /// Merges <paramref name="child"/> over <paramref name="basis"/> in place: the child's own nodes (and so their lines,
    /// for errors) stay, keys it leaves out come from the base in the base's order; the base is never changed.
    /// </summary>
    private static YamlMappingNode Overlay(YamlMappingNode basis, YamlMappingNode child)
    {
        var own = child.Children.ToArray();
        child.Children.Clear();
        foreach (var (key, value) in basis.Children)
        {
            var mine = Array.Find(own, entry => entry.Key.Equals(key));
            child.Children.Add(mine.Key ?? key, (value, mine.Value) switch
            {
                (_, null) => value,
                (YamlMappingNode inherited, YamlMappingNode written) => Overlay(inherited, written),
                _ => mine.Value,
            });
        }
        foreach (var (key, value) in own.Where(entry => !basis.Children.ContainsKey(entry.Key)))
            child.Children.Add(key, value);
        return child;
    }

    /// <summary>The resolved document as text: no comments, styles as written, one line a value.</summary>
    private static string Emit(YamlMappingNode root)
    {
        var text = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(new Emitter(text, 2, int.MaxValue), assignAnchors: false);
        return text.ToString();
    }
}
