using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>
/// An organization holds at most <c>Subscriptions:MaxPerOrganization</c> (10) live subscriptions. The count and the
/// insert were two steps, and 25 parallel creates left 20 live (issue 18, item 9); now they are one statement, taken in
/// turn per organization on PostgreSQL.
/// </summary>
public sealed class SubscriptionLimitTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private const int Limit = 10;

    private HttpClient NewOrganization(string name)
    {
        _ = factory.Keys;
        return factory.ClientFor(factory.Services.GetRequiredService<ApiKeys>().Create(name, Roles.Provider, name + " portal", "1234567893"));
    }

    private long Live(string organization) =>
        factory.ScalarLong("SELECT COUNT(*) FROM subscriptions WHERE organization_id = @org AND status <> 'off'", ("@org", organization));

    [Fact]
    public async Task Twenty_five_parallel_creates_leave_exactly_the_limit_live_and_the_rest_are_refused_with_an_outcome()
    {
        const string organization = "org-parallel-subscriber";
        var client = NewOrganization(organization);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var creates = Enumerable.Range(0, 25).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await client.PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson($"https://ehr.example.org/hook/{i}"));
        })).ToArray();
        go.SetResult();
        var answered = await Task.WhenAll(creates);

        Assert.Equal(Limit, answered.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answered.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var outcome = await refused.ResourceAsync<OperationOutcome>(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(OperationOutcome.IssueType.TooCostly, Assert.Single(outcome.Issue).Code);
        }
        Assert.Equal(Limit, Live(organization));
        // Each stored subscription has its handshake queued; a refused one left nothing behind.
        Assert.Equal(Limit, factory.ScalarLong(
            "SELECT COUNT(*) FROM notifications WHERE subscription_id IN (SELECT id FROM subscriptions WHERE organization_id = @org)", ("@org", organization)));
        foreach (var response in answered) response.Dispose();
    }

    [Fact]
    public async Task The_eleventh_is_refused_until_one_is_ended_and_other_organizations_are_not_counted()
    {
        const string organization = "org-sequential-subscriber";
        var client = NewOrganization(organization);
        var ids = new List<string>();
        for (var i = 0; i < Limit; i++)
        {
            using var created = await client.PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson($"https://ehr.example.org/s/{i}"));
            ids.Add((await created.ResourceAsync<Subscription>(HttpStatusCode.Created)).Id!);
        }

        using (var eleventh = await client.PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson("https://ehr.example.org/s/11")))
            Assert.Contains("10 subscriptions at once", Assert.Single((await eleventh.ResourceAsync<OperationOutcome>(HttpStatusCode.UnprocessableEntity)).Issue).Diagnostics);
        using (var other = await NewOrganization("org-other-subscriber").PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson("https://ehr.example.org/o")))
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);

        using (var ended = await client.DeleteAsync($"/fhir/Subscription/{ids[0]}"))
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        using (var again = await client.PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson("https://ehr.example.org/s/again")))
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(Limit, Live(organization));
    }
}
