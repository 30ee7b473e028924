using System.Reflection;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Rules;
using NRules;
using NRules.Fluent;
using NRules.RuleModel;

namespace MgAuth.RulePacks;

/// <summary>One rule of a pack: its NRules definition, the class it was written as, and the policy row it encodes.</summary>
public sealed class PackRule
{
    public PackRule(IRuleDefinition definition)
    {
        Definition = definition;
        Type = (Type)definition.Properties[RuleProperties.ClrType]!;
        var row = Type.GetCustomAttribute<PolicyRowAttribute>();
        PolicyRef = row?.PolicyRef;
        Evidence = row?.Evidence;
    }

    public IRuleDefinition Definition { get; }
    public Type Type { get; }
    public string Name => Definition.Name;
    public int Priority => Definition.Priority;
    public string? PolicyRef { get; }
    public string? Evidence { get; }
}

/// <summary>
/// A compiled rule pack: its manifest, its source (with content hash), its rules and the NRules
/// session factory they compile to, shared by every thread; each decision gets its own session.
/// </summary>
public sealed class RulePack
{
    private readonly Dictionary<string, PackRule> _byName;

    internal RulePack(PackManifest manifest, PackSource source, IReadOnlyList<PackRule> rules, ISessionFactory sessions)
    {
        Manifest = manifest;
        Source = source;
        Rules = rules;
        Sessions = sessions;
        Reference = new(manifest.Id, manifest.Version, source.Sha256);
        _byName = rules.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    public PackManifest Manifest { get; }
    public PackSource Source { get; }
    public IReadOnlyList<PackRule> Rules { get; }
    public ISessionFactory Sessions { get; }
    public string Sha256 => Source.Sha256;
    public RulePackRef Reference { get; }

    public PackRule? Rule(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The same pack with only some of its rules (coverage and mutation checks).</summary>
    public RulePack WithRules(Func<PackRule, bool> keep)
    {
        var kept = Rules.Where(keep).ToArray();
        return new(Manifest, Source, kept, RulePackCompiler.CompileNetwork(kept));
    }
}
