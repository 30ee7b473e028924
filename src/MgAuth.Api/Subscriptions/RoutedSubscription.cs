using MgAuth.Api.Authorizations;
using MgAuth.Cases.Subscriptions;

namespace MgAuth.Api.Subscriptions;

/// <summary>The subscription a route names; another organization's is answered as one that does not exist (<see cref="TenancyFilter.ForTenancy"/>).</summary>
internal sealed class RoutedSubscription(SubscriptionRow? row) : Routed<SubscriptionRow>(row)
{
    internal override string? Organization => Found?.OrganizationId;

    public static async ValueTask<RoutedSubscription> BindAsync(HttpContext http)
    {
        var id = http.Request.RouteValues["id"] as string;
        var store = http.RequestServices.GetRequiredService<SubscriptionStore>();
        return new RoutedSubscription(id is { Length: <= 64 } ? await store.FindAsync(id, http.RequestAborted) : null);
    }
}
