using System.Text.Json.Nodes;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;

namespace MgAuth.Fhir.Tests;

/// <summary>Real decisions: the repository's rule pack and standard policy decide (variants of) the examples.</summary>
public static class Decisions
{
    /// <summary>The case id the responses are written for.</summary>
    public const string Id = "PA-TEST-0001";

    private static readonly Lazy<RulePack> Pack = new(() => RulePackCompiler.Load(Path.Combine(Examples.Root, "rules", "ivig-mg")));
    private static readonly Lazy<PolicySet> Policies = new(() => PolicySet.FromFolder(Path.Combine(Examples.Root, "policies")));

    public static (AuthorizationRequest Request, Decision Decision) Decide(string example, Action<JsonObject>? edit = null)
    {
        var json = JsonNode.Parse(Examples.Json(example))!.AsObject();
        edit?.Invoke(json);
        var request = Examples.Read(json.ToJsonString());
        var decision = Decider.Decide(Pack.Value, request, Policies.Value.Find(null)!, Examples.AsOf);
        return (request, decision);
    }

    /// <summary>A medical-necessity denial pended for a clinician, as the clinician's denial makes it final (A3).</summary>
    public static (Decision Decision, Determination Determination) DeniedByAClinician(Decision decision, DateTimeOffset at) => (decision with
    {
        Outcome = Outcome.Deny,
        Status = CaseStatus.Denied,
        DenialKind = DenialKind.MedicalNecessity,
        X12ReviewAction = ReviewAction.NotCertified,
    }, new Determination
    {
        Action = DeterminationAction.Deny,
        Rationale = "The course exceeds 2 g/kg without a documented reason.",
        Reviewer = new Reviewer("key-1", "clinical_reviewer", "1234567893"),
        EngineRecommendation = Outcome.Deny,
        Revision = 1,
        DeterminedAt = at,
    });
}
