using System.Security.Cryptography;
using System.Text;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Terminology;

namespace MgAuth.RulePacks;

/// <summary>
/// What a policy author publishes: a rule pack together with the policies it runs under and their value sets
/// (<c>valuesets/*.json</c> among the policy files). Its hash covers all three, so a release whose only change is one
/// policy number, or one code of a value set, is a new release.
/// </summary>
public sealed record RuleRelease(PackSource Pack, IReadOnlyDictionary<string, string> PolicyFiles)
{
    public string Sha256 { get; } = Hash(Pack, PolicyFiles);

    public static RuleRelease FromFolders(string packFolder, string policiesFolder) => new(
        PackSource.FromFolder(packFolder),
        PolicyLoader.ReadFolder(policiesFolder).Concat(ValueSetLibrary.ReadFolder(Path.Combine(policiesFolder, "valuesets")))
            .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));

    /// <summary>The release's value sets; throws with every problem when one cannot be used.</summary>
    public ValueSetLibrary ValueSets() => ValueSetLibrary.Parse(PolicyFiles);

    /// <summary>Compiles the pack (through <paramref name="packs"/>, when given, so it is compiled once a process) and parses the policies; throws with every problem if either fails.</summary>
    public (RulePack Pack, PolicySet Policies) Load(CompiledPacks? packs = null, string defaultPolicyId = PolicySet.StandardId)
    {
        var pack = packs?.Get(Pack) ?? RulePackCompiler.Compile(Pack);
        var policies = PolicyLoader.ParseSet(PolicyFiles);
        ValueSets();
        if (policies.Count == 0) throw new RulePackException(Pack.Name, ["a release needs at least one policy"]);
        return (pack, new PolicySet(policies, policies.ContainsKey(defaultPolicyId) ? defaultPolicyId : policies.Keys.Order(StringComparer.Ordinal).First()));
    }

    private static string Hash(PackSource pack, IReadOnlyDictionary<string, string> policies)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"pack {pack.Sha256}\n"));
        foreach (var (name, text) in policies.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            sha.AppendData(Encoding.UTF8.GetBytes($"policies/{name}\n{bytes.Length}\n"));
            sha.AppendData(bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
