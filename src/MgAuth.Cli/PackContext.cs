using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;
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
    public (Decision? Decision, ProblemDocument? Problem) Decide(ReadOnlySpan<byte> json, DateOnly asOf, string? policyOverride, bool explain)
    {
        var read = RequestReader.Read(json, asOf);
        if (read.Problem is not null) return (null, read.Problem);
        var request = read.Request!;
        var policyId = policyOverride ?? request.PolicyId;
        if (Policies.Find(policyId) is not { } policy)
            return (null, ProblemDocument.InvalidRequest(new Dictionary<string, string[]>
            {
                ["policyId"] = [$"'{policyId}' is not a policy here; known policies: {string.Join(", ", Policies.All.Keys)}"],
            }));
        return (Decider.Decide(Pack, request, policy, asOf, new DecideOptions { Explain = explain }), null);
    }
}
