using MgAuth.Domain.Policies;
using MgAuth.RulePacks;

namespace MgAuth.Cli;

/// <summary>The pack and policies a command runs with, found from the options.</summary>
public sealed class PackContext(RulePack pack, PolicySet policies)
{
    public RulePack Pack { get; } = pack;
    public PolicySet Policies { get; } = policies;

    public static PackContext Load(Options options) => new(
        RulePackCompiler.Load(options.Folder("--rules", Path.Combine("rules", "ivig-mg"))),
        PolicySet.FromFolder(options.Folder("--policies", "policies")));

    /// <summary>Reads, validates and decides one request; a rejected request comes back as a problem document.</summary>
    public DecideResult Decide(byte[] json, DateOnly asOf, string? policyOverride, bool explain) =>
        DecisionPipeline.Decide(Pack, Policies, json, asOf, policyId: policyOverride, explain: explain);
}
