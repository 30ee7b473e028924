using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MgAuth.Api.Health;

/// <summary>What a probe answers: <c>live</c>, <c>ready</c> or <c>not ready</c>, and each check's finding.</summary>
internal sealed record ProbeReport(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>The database answers a query (the schema is in place): <c>ok</c> or <c>unavailable</c>.</summary>
internal sealed class DatabaseHealthCheck(AuthorizationStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Whatever the failure (locked, down, no schema), the probe says only "unavailable": no connection details, no message.
        try { return await store.IsUsableAsync(cancellationToken) ? HealthCheckResult.Healthy("ok") : HealthCheckResult.Unhealthy("unavailable"); }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("unavailable");
        }
    }
}

/// <summary>A release is in force with rules and policies: <c>PACK VERSION SHA-prefix</c>, or <c>none</c>.</summary>
internal sealed class ActiveReleaseHealthCheck(ActiveRules rules) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = rules.Current;
        var pack = current.Pack;
        return Task.FromResult(pack.Rules.Count > 0 && current.Policies.All.Count > 0
            ? HealthCheckResult.Healthy($"{pack.Manifest.Id} {pack.Manifest.Version} {pack.Sha256[..12]}")
            : HealthCheckResult.Unhealthy("none"));
    }
}

/// <summary>
/// Unversioned probes on ASP.NET Core's health checks: <c>/health/live</c> runs none (the process answers);
/// <c>/health/ready</c> runs those tagged <see cref="Ready"/> (the database, the release in force) and is 503 when one fails.
/// </summary>
internal static class HealthApi
{
    public const string Ready = "ready";

    public static IHealthChecksBuilder AddMgAuthHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<ActiveReleaseHealthCheck>("rulePack", tags: [Ready]);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/health").AllowAnonymous();
        group.MapHealthChecks("/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) => WriteAsync(context, new ProbeReport("live", new Dictionary<string, string>())),
        });
        group.MapHealthChecks("/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = (context, report) => WriteAsync(context, new ProbeReport(
                report.Status == HealthStatus.Healthy ? "ready" : "not ready",
                report.Entries.ToDictionary(e => e.Key, e => e.Value.Description ?? ContractStatus(e.Value.Status)))),
        });
        return routes;
    }

    private static string ContractStatus(HealthStatus status) => status == HealthStatus.Healthy ? "ok" : "unavailable";

    // The service's JSON options (camelCase); the middleware has set the status (200, or 503 when a check failed) and no-store.
    private static Task WriteAsync(HttpContext context, ProbeReport report) => context.Response.WriteAsJsonAsync(report);
}
