using MgAuth.Cases.Releases;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Fhir;

/// <summary>
/// The payer's plan table (configuration section <c>Plans:Policies</c>, plan id → policy id): which policy decides a
/// member's IVIG request, by the plan its Coverage names. A plan's text is never read as a policy id.
/// </summary>
public sealed class PlanOptions
{
    public const string Section = "Plans";

    public Dictionary<string, string> Policies { get; set; } = [];
}

/// <summary>
/// Routes a PAS request's plan to the policy configured for it. A plan the table does not name, or whose policy the
/// release in force does not hold, goes to the release's default policy (the organization's standard one), as a
/// payer treats a member whose plan adds no IVIG policy of its own: never a refusal naming MgAuth's policy ids.
/// </summary>
public sealed class PlanRouting(IOptions<PlanOptions> options, ActiveRules active, ILogger<PlanRouting> logger)
{
    /// <summary>The policy id for a plan, or null for the default policy.</summary>
    public string? PolicyFor(string? plan)
    {
        if (plan is null || !options.Value.Policies.TryGetValue(plan, out var policy)) return null;
        if (active.Current.Policies.All.ContainsKey(policy)) return policy;
        logger.LogWarning("The plan table names policy {PolicyId}, which the release in force does not hold; the default policy decides", policy);
        return null;
    }
}
