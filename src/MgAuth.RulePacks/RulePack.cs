using System.Runtime.CompilerServices;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Rules;
using MgAuth.Engine;

namespace MgAuth.RulePacks;

/// <summary>A compiled rule pack: its manifest, its source (with content hash) and its network.</summary>
public sealed class RulePack(PackManifest manifest, PackSource source, RuleNetwork network)
{
    public PackManifest Manifest { get; } = manifest;
    public PackSource Source { get; } = source;
    public RuleNetwork Network { get; } = network;
    public string Sha256 => Source.Sha256;
    public RulePackRef Reference { get; } = new(manifest.Id, manifest.Version, source.Sha256);

    private readonly ConditionalWeakTable<Policy, SessionTemplate> _templates = new();

    /// <summary>This pack's network with the policy's facts inserted and matched once, for every request under it.</summary>
    public SessionTemplate TemplateFor(Policy policy) =>
        _templates.GetValue(policy, p => Network.Prepare(FactBuilder.PolicyFacts(p)));

    /// <summary>The same pack with only some of its rules (coverage and mutation checks).</summary>
    public RulePack WithRules(Func<Engine.Model.RuleDefinition, bool> keep) =>
        new(Manifest, Source, Engine.Compilation.RuleCompiler.Compile(Network.Definitions.Where(keep)));

    public static string? PolicyRefOf(Engine.Model.RuleDefinition rule) =>
        rule.Metadata.TryGetValue(PolicyRowAttribute.PolicyRefKey, out var value) ? value : null;
}
