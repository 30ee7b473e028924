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
/// The table is checked against each release once, when that release is first read (at the service's start, and
/// after an activation), and a plan routed to a policy the release lacks is logged then, not on every request.
/// </summary>
public sealed class PlanRouting(IOptions<PlanOptions> options, ActiveRules active, ILogger<PlanRouting> logger)
{
    private Routes? _routes;

    /// <summary>The policy id for a plan, or null for the default policy.</summary>
    public string? PolicyFor(string? plan) =>
        plan is not null && RoutesFor(active.Current).Policies.TryGetValue(plan, out var policy) ? policy : null;

    /// <summary>Checks the table against the release in force (a step of the service's start), logging what it cannot route.</summary>
    public void Check() => RoutesFor(active.Current);

    private Routes RoutesFor(RuleSet rules)
    {
        var routes = Volatile.Read(ref _routes);
        if (routes is not null && ReferenceEquals(routes.Rules, rules)) return routes;
        var held = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (plan, policy) in options.Value.Policies)
        {
            if (rules.Policies.All.ContainsKey(policy)) held[plan] = policy;
            else logger.LogWarning("The plan table routes plan {Plan} to policy {PolicyId}, which release {Release} does not hold; the default policy decides its members' requests",
                plan, policy, rules.ReleaseSha256[..12]);
        }
        var next = new Routes(rules, held);
        // Two requests may build the same routes at once; either result is right, and a warning may show twice then.
        Interlocked.CompareExchange(ref _routes, next, routes);
        return next;
    }

    private sealed record Routes(RuleSet Rules, IReadOnlyDictionary<string, string> Policies);
}
