using MgAuth.Cases;

namespace MgAuth.Cli;

/// <summary>Parsed command-line options: <c>--name value</c> pairs, <c>--flag</c>s and positional arguments.</summary>
public sealed class Options
{
    private static readonly HashSet<string> Flags = ["--explain", "--coverage", "--activate", "--per-case"];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "-" || !arg.StartsWith("--", StringComparison.Ordinal)) options.Positional.Add(arg);
            else if (Flags.Contains(arg)) options._flags.Add(arg);
            else if (i + 1 < args.Count) options._values[arg] = args[++i];
            else throw new UsageException($"{arg} needs a value");
        }
        return options;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public string Value(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;

    public DateOnly Date(string name, DateOnly fallback) =>
        Value(name) is not { } text ? fallback
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date) ? date
        : throw new UsageException($"{name} must be a date as YYYY-MM-DD, got '{text}'");

    public int Int(string name, int fallback) =>
        Value(name) is not { } text ? fallback
        : int.TryParse(text, out var value) && value > 0 ? value
        : throw new UsageException($"{name} must be a positive whole number, got '{text}'");

    /// <summary>A folder of the repository: given, or found by walking up from the working directory.</summary>
    public string Folder(string name, string relative) =>
        Value(name) ?? Folders.Above(Directory.GetCurrentDirectory(), relative)
            ?? throw new UsageException($"cannot find {relative}; run from the repository or pass {name}");
}
