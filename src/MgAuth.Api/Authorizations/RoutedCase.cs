using MgAuth.Api.Infrastructure;
using MgAuth.Cases.Data;

namespace MgAuth.Api.Authorizations;

/// <summary>Who may reach a case by its id: anyone the route admits, those who may see its organization, or its own organization only.</summary>
internal enum Tenancy
{
    /// <summary>The plan's staff on a review route: every case.</summary>
    AnyCase,

    /// <summary>Plan staff see every organization's case; a provider only its own.</summary>
    Visible,

    /// <summary>Only the organization that submitted the case acts on it (supplements, appeals).</summary>
    OwnOrganization,
}

/// <summary>
/// The case a route names (<c>{id}</c>), read once. The tenancy filter answers 404 when there is none the caller may reach,
/// exactly as for a case that does not exist, so handlers see only a case they may work.
/// </summary>
internal sealed class RoutedCase(AuthorizationRow? row)
{
    public AuthorizationRow Row => row ?? throw new InvalidOperationException("the tenancy filter lets no missing case through");

    internal AuthorizationRow? Found => row;

    public static async ValueTask<RoutedCase> BindAsync(HttpContext http)
    {
        var id = http.Request.RouteValues["id"] as string;
        var store = http.RequestServices.GetRequiredService<AuthorizationStore>();
        return new RoutedCase(id is null ? null : await store.FindAsync(id, http.RequestAborted));
    }
}

internal static class CaseTenancy
{
    /// <summary>The one tenancy check of the case routes: another organization's case is not found.</summary>
    public static RouteHandlerBuilder ForCase(this RouteHandlerBuilder route, Tenancy tenancy) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var routed = context.Arguments.OfType<RoutedCase>().Single();
            var caller = context.HttpContext.RequestServices.GetRequiredService<Caller>();
            return routed.Found is { } row && Allows(tenancy, caller, row.OrganizationId)
                ? await next(context)
                : Problems.NotFound("authorization");
        });

    private static bool Allows(Tenancy tenancy, Caller caller, string organizationId) => tenancy switch
    {
        Tenancy.Visible => caller.MaySee(organizationId),
        Tenancy.OwnOrganization => organizationId == caller.OrganizationId,
        _ => true,
    };
}
