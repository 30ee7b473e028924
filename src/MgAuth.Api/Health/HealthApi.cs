using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Health;

public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>Unversioned probes: live while the process answers; ready while the database and a rule pack are usable.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", () => TypedResults.Ok(new HealthReport("live", new Dictionary<string, string>())));
        group.MapGet("/ready", ReadyAsync);
        return routes;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> ReadyAsync(AuthorizationStore store, ActiveRules rules)
    {
        var checks = new Dictionary<string, string>();
        bool database;
        try { database = await store.IsUsableAsync(); }
        catch (Exception e) when (DatabaseErrors.IsUnavailable(e) || e is InvalidOperationException or IOException) { database = false; }
        checks["database"] = database ? "ok" : "unavailable";
        var pack = rules.Current.Pack;
        var packUsable = pack.Rules.Count > 0 && rules.Current.Policies.All.Count > 0;
        checks["rulePack"] = packUsable ? $"{pack.Manifest.Id} {pack.Manifest.Version} {pack.Sha256[..12]}" : "none";
        return database && packUsable
            ? TypedResults.Ok(new HealthReport("ready", checks))
            : TypedResults.Json(new HealthReport("not ready", checks), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
