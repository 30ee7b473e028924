using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace MgAuth.Domain.Policies;

/// <summary>
/// Reads typed parameters out of a YAML mapping by dotted path, collecting every problem with its
/// file, line and parameter instead of stopping at the first.
/// </summary>
internal sealed class YamlFields(string file, List<string> errors)
{
    // The keys read from each mapping, so the ones no parameter reads (a misspelling) can be refused.
    private readonly Dictionary<YamlMappingNode, (string Path, HashSet<string> Keys)> _read = new(ReferenceEqualityComparer.Instance);

    public YamlMappingNode? Map(YamlMappingNode parent, string path, string key) =>
        Node(parent, path, key) switch
        {
            null => null,
            YamlMappingNode map => map,
            var other => Fail<YamlMappingNode>(other, Join(path, key), "must be a mapping"),
        };

    public YamlSequenceNode? Sequence(YamlMappingNode parent, string path, string key) =>
        Node(parent, path, key) switch
        {
            null => null,
            YamlSequenceNode list => list,
            var other => Fail<YamlSequenceNode>(other, Join(path, key), "must be a list"),
        };

    public string String(YamlMappingNode? parent, string path, string key) =>
        Scalar(parent, path, key) is { } node ? node.Value ?? "" : "";

    public decimal Decimal(YamlMappingNode? parent, string path, string key)
    {
        if (Scalar(parent, path, key) is not { } node) return 0;
        if (decimal.TryParse(node.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        return Fail<decimal>(node, Join(path, key), $"must be a number, got '{node.Value}'");
    }

    public int Int(YamlMappingNode? parent, string path, string key)
    {
        if (Scalar(parent, path, key) is not { } node) return 0;
        if (int.TryParse(node.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        return Fail<int>(node, Join(path, key), $"must be a whole number, got '{node.Value}'");
    }

    public bool Bool(YamlMappingNode? parent, string path, string key)
    {
        if (Scalar(parent, path, key) is not { } node) return false;
        if (bool.TryParse(node.Value, out var value)) return value;
        return Fail<bool>(node, Join(path, key), $"must be true or false, got '{node.Value}'");
    }

    public T Enum<T>(YamlMappingNode? parent, string path, string key) where T : struct, Enum
    {
        if (Scalar(parent, path, key) is not { } node) return default;
        return EnumValue<T>(node, Join(path, key));
    }

    public T EnumValue<T>(YamlScalarNode node, string path) where T : struct, Enum
    {
        if (Requests.ContractNames.TryParse<T>(node.Value ?? "", out var value)) return value;
        return Fail<T>(node, path, $"must be one of {string.Join(", ", Requests.ContractNames.All<T>())}, got '{node.Value}'");
    }

    public ImmutableArray<string> Strings(YamlMappingNode parent, string path, string key)
    {
        if (Sequence(parent, path, key) is not { } list) return [];
        var values = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is YamlScalarNode { Value: { Length: > 0 } value }) values.Add(value);
            else Fail<string>(list.Children[i], $"{Join(path, key)}[{i}]", "must be a non-empty text");
        }
        return values.ToImmutable();
    }

    /// <summary>Takes a key as read without reading it: a value the policy accepts and does not use.</summary>
    public void Unused(YamlMappingNode parent, string path, string key) => Read(parent, path).Add(key);

    /// <summary>Refuses every key of the mappings read so far that no parameter read.</summary>
    public void RefuseUnknownKeys()
    {
        foreach (var (map, (path, keys)) in _read)
            foreach (var key in map.Children.Keys)
            {
                var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
                if (!keys.Contains(name)) Fail<string>(key, Join(path, name), $"is unknown (known here: {string.Join(", ", keys)})");
            }
    }

    public YamlMappingNode? Item(YamlNode node, string path) =>
        node as YamlMappingNode ?? Fail<YamlMappingNode>(node, path, "must be a mapping");

    public T Fail<T>(YamlNode node, string path, string problem)
    {
        errors.Add($"{file}:{node.Start.Line}: parameter '{path}' {problem}");
        return default!;
    }

    private YamlScalarNode? Scalar(YamlMappingNode? parent, string path, string key) =>
        parent is null
            ? null
            : Node(parent, path, key) switch
            {
                null => null,
                YamlScalarNode { Value: { Length: > 0 } } scalar => scalar,
                var other => Fail<YamlScalarNode>(other, Join(path, key), "must be a single value"),
            };

    private HashSet<string> Read(YamlMappingNode parent, string path)
    {
        if (!_read.TryGetValue(parent, out var read)) _read[parent] = read = (path, new HashSet<string>(StringComparer.Ordinal));
        return read.Keys;
    }

    private YamlNode? Node(YamlMappingNode parent, string path, string key)
    {
        Read(parent, path).Add(key);
        if (parent.Children.TryGetValue(new YamlScalarNode(key), out var node)) return node;
        errors.Add($"{file}:{parent.Start.Line}: parameter '{Join(path, key)}' is missing");
        return null;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
