using System.Text;
using MgAuth.Api.Authorizations;
using MgAuth.Api.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>
/// Issue 19, item 6: the tenancy filter fails closed. Every route naming a row by id carries it (or is listed with why it
/// needs none), a handler cannot read a row the filter did not admit, and another organization's row answers exactly as
/// an id that does not exist.
/// </summary>
public sealed class TenancyTests(LoopbackSubscriptionsFactory factory) : IClassFixture<LoopbackSubscriptionsFactory>
{
    // Routes under /v1 and /fhir with an {id} that names no organization's row.
    private static readonly Dictionary<string, string> Unfiltered = new()
    {
        ["GET /fhir/CodeSystem/{id}"] = "a published CodeSystem (MgAuth's findings codes): the same for everyone, anonymous",
        ["GET /fhir/Questionnaire/{id}"] = "the published DTR questionnaire (no member data): the same for everyone, anonymous, as CRD's cards link it",
        ["GET /v1/policies/{id}"] = "the plan's published criteria: every key reads every policy (CMS requires the plan to publish them)",
    };

    private IReadOnlyList<(string Method, string Route, TenancyMetadata? Tenancy)> RoutesById() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => p.Name == "id"))
            .Select(e => (Route: "/" + e.RoutePattern.RawText!.TrimStart('/'), e))
            .Where(r => r.Route.StartsWith("/v1/", StringComparison.Ordinal) || r.Route.StartsWith("/fhir/", StringComparison.Ordinal))
            .SelectMany(r => (r.e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => (m, r.Route, r.e.Metadata.GetMetadata<TenancyMetadata>())))
            .ToArray();

    [Fact]
    public void Every_route_naming_a_row_by_id_carries_the_tenancy_filter_or_says_why_it_needs_none()
    {
        var routes = RoutesById();

        Assert.True(routes.Count >= 15, string.Join("\n", routes));
        Assert.All(routes, r => Assert.True(r.Tenancy is not null || Unfiltered.ContainsKey($"{r.Method} {r.Route}"),
            $"{r.Method} {r.Route} names a row by id without the tenancy filter (ForCase / ForTenancy) and is not listed as needing none"));
        // The list holds only routes that exist and are unfiltered: nothing stays on it after it gets the filter.
        Assert.All(Unfiltered.Keys, k => Assert.Contains(routes, r => $"{r.Method} {r.Route}" == k && r.Tenancy is null));
    }

    [Fact]
    public void A_routed_row_the_filter_did_not_admit_cannot_be_read()
    {
        var routed = new RoutedCase(new MgAuth.Cases.Data.AuthorizationRow
        {
            Id = "PA-X", OrganizationId = TestKeys.OrgA, MemberId = "M-1", Indication = MgAuth.Domain.Requests.Indication.Exacerbation,
            Urgency = MgAuth.Domain.Requests.Urgency.Standard, Status = MgAuth.Domain.Decisions.CaseStatus.Pended,
            Decision = MgAuth.Domain.Decisions.Outcome.Review, RequestSha256 = "",
        });

        Assert.Throws<InvalidOperationException>(() => routed.Row);
    }

    // The attack: organization B's provider names organization A's case or subscription on every route that takes an id.
    [Fact]
    public async Task Another_organizations_case_or_subscription_answers_on_every_route_exactly_as_an_unknown_id()
    {
        var theirCase = (await factory.ProviderA.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines())).Id();
        string theirSubscription;
        using (var created = await factory.ProviderA.PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson("http://127.0.0.1:9/hook")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            theirSubscription = created.Headers.Location!.ToString().Split('/')[^1];
        }
        var unknownCase = "PA-ZZZZZZZZ-0000000000";
        var unknownSubscription = Guid.NewGuid().ToString("D");

        var probed = 0;
        foreach (var (method, route, tenancy) in RoutesById().Where(r => r.Tenancy is not null))
        {
            var (theirs, unknown) = route.Contains("ubscription", StringComparison.Ordinal)
                ? (theirSubscription, unknownSubscription)
                : (theirCase, unknownCase);
            var (theirStatus, theirBody) = await AskAsync(factory.ProviderB, method, route.Replace("{id}", theirs, StringComparison.Ordinal));
            var (unknownStatus, unknownBody) = await AskAsync(factory.ProviderB, method, route.Replace("{id}", unknown, StringComparison.Ordinal));

            Assert.True(theirStatus == unknownStatus, $"{method} {route}: {theirStatus} for their id, {unknownStatus} for an unknown one");
            Assert.True(theirStatus is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{method} {route}: {theirStatus} {theirBody}");
            Assert.Equal(Shape(unknownBody.Replace(unknown, "{id}", StringComparison.Ordinal)), Shape(theirBody.Replace(theirs, "{id}", StringComparison.Ordinal)));
            Assert.DoesNotContain(theirs, theirBody);
            probed++;
        }
        Assert.True(probed >= 15);

    }

    private static async Task<(HttpStatusCode, string)> AskAsync(HttpClient client, string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    // A body's fields and their values but a resource's own id, which every FHIR answer has afresh.
    private static string Shape(string body)
    {
        if (body.Length == 0 || JsonNode.Parse(body) is not JsonObject json) return body;
        json.Remove("id");
        return json.ToJsonString();
    }
}
