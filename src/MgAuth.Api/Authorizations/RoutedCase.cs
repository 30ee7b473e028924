using MgAuth.Api.Infrastructure;
using MgAuth.Cases.Data;

namespace MgAuth.Api.Authorizations;

/// <summary>Who may reach a row (a case, a subscription) by its id: anyone the route admits, those who may see its organization, or its own organization only.</summary>
internal enum Tenancy
{
    /// <summary>The plan's staff on a review route: every case.</summary>
    AnyCase,

    /// <summary>Plan staff see every organization's row; a provider only its own.</summary>
    Visible,

    /// <summary>Only the organization that made the row acts on it (supplements, appeals).</summary>
    OwnOrganization,
}

/// <summary>The tenancy a route's filter applies (<see cref="TenancyFilter.ForTenancy"/>), as endpoint metadata.</summary>
internal sealed record TenancyMetadata(Tenancy Tenancy);

/// <summary>
/// The row a route names (<c>{id}</c>), read once. Only the tenancy filter admits it (<see cref="TenancyFilter.ForTenancy"/>):
/// until then, or when the filter refused, <see cref="Routed{TRow}.Row"/> throws, so a handler cannot read a row its
/// route forgot to filter.
/// </summary>
internal abstract class RoutedRow
{
    private protected bool Admitted { get; private set; }

    /// <summary>The organization of the row found, or null when the id names none.</summary>
    internal abstract string? Organization { get; }

    /// <summary>Admits the row when there is one and <paramref name="tenancy"/> lets <paramref name="caller"/> reach it.</summary>
    internal bool TryAdmit(Tenancy tenancy, Caller caller) => Admitted = Organization is { } organization && tenancy.Admits(caller, organization);
}

/// <inheritdoc cref="RoutedRow"/>
internal abstract class Routed<TRow>(TRow? row) : RoutedRow where TRow : class
{
    public TRow Row => Admitted && row is not null
        ? row
        : throw new InvalidOperationException($"no tenancy filter admitted this {typeof(TRow).Name} (ForTenancy on the route)");

    internal TRow? Found => row;
}

/// <summary>The case a route names; another organization's case is not found (<see cref="CaseTenancy.ForCase"/>).</summary>
internal sealed class RoutedCase(AuthorizationRow? row) : Routed<AuthorizationRow>(row)
{
    internal override string? Organization => Found?.OrganizationId;

    public static async ValueTask<RoutedCase> BindAsync(HttpContext http)
    {
        var id = http.Request.RouteValues["id"] as string;
        var store = http.RequestServices.GetRequiredService<AuthorizationStore>();
        return new RoutedCase(id is null ? null : await store.FindAsync(id, http.RequestAborted));
    }
}

/// <summary>The one check of "this organization may see this": every route naming a row by id takes it as a filter.</summary>
internal static class TenancyFilter
{
    /// <summary>
    /// Admits the route's row (its <see cref="RoutedRow"/> argument) when <paramref name="tenancy"/> lets the caller reach
    /// its organization; otherwise answers <paramref name="notFound"/>, exactly as for an id that does not exist.
    /// </summary>
    public static RouteHandlerBuilder ForTenancy(this RouteHandlerBuilder route, Tenancy tenancy, Func<IResult> notFound) =>
        route.WithMetadata(new TenancyMetadata(tenancy)).AddEndpointFilter(async (context, next) =>
            context.Arguments.OfType<RoutedRow>().Single().TryAdmit(tenancy, context.HttpContext.RequestServices.GetRequiredService<Caller>())
                ? await next(context)
                : notFound());

    /// <summary>Whether <paramref name="tenancy"/> lets <paramref name="caller"/> reach a row of <paramref name="organizationId"/>.</summary>
    public static bool Admits(this Tenancy tenancy, Caller caller, string organizationId) => tenancy switch
    {
        Tenancy.Visible => caller.MaySee(organizationId),
        Tenancy.OwnOrganization => organizationId == caller.OrganizationId,
        _ => true,
    };
}

internal static class CaseTenancy
{
    /// <summary>The tenancy check of the case routes: another organization's case is not found.</summary>
    public static RouteHandlerBuilder ForCase(this RouteHandlerBuilder route, Tenancy tenancy) =>
        route.ForTenancy(tenancy, () => Problems.NotFound("authorization"));
}
