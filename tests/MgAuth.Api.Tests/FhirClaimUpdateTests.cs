using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>
/// $submit of a PAS Claim update (<c>Claim.related</c>, relationship prior, naming the first Claim): the same case decided
/// again as its next revision, as a supplement is; refused once the case is final; another organization's claim unknown.
/// </summary>
public sealed class FhirClaimUpdateTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    internal static Claim ClaimOf(Bundle bundle) => Assert.IsType<Claim>(bundle.Entry[0].Resource);

    // The update: the complete request as a new Claim whose related entry names the first Claim's identifier.
    internal static Bundle UpdateOf(JsonNode request, Identifier first)
    {
        var update = BundleOf(request);
        ClaimOf(update).Related.Add(new Claim.RelatedClaimComponent
        {
            Claim = new ResourceReference { Identifier = new Identifier(first.System, first.Value) },
            Relationship = new CodeableConcept("http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship", "prior"),
        });
        return update;
    }

    private async Task<(Bundle Request, ClaimResponse Response, string MemberId)> PendedAsync()
    {
        var memberId = Examples.NewMemberId();
        var request = BundleOf(Examples.ExacerbationMissingBaselines(memberId));
        var response = ClaimResponseOf(await factory.ProviderA.SubmitFhirOkAsync(request));
        Assert.Equal(["A4"], response.ReviewActions());
        return (request, response, memberId);
    }

    [Fact]
    public async Task A_Claim_update_re_decides_the_same_case_to_the_decision_v1_gives_the_complete_request()
    {
        var (request, pended, memberId) = await PendedAsync();
        var before = factory.CountAll();
        var throughV1 = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));

        var answer = await factory.ProviderA.SubmitFhirOkAsync(UpdateOf(Examples.ForMember(Examples.Exacerbation, memberId), ClaimOf(request).Identifier[0]));

        var response = ClaimResponseOf(answer);
        Assert.Equal(pended.Id(), response.Id());
        Assert.Equal([(string)throughV1["x12ReviewAction"]!], response.ReviewActions());
        var stored = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}");
        Assert.Equal(2, (int)stored["revision"]!);
        foreach (var field in new[] { "decision", "status", "x12ReviewAction", "authorized", "missingDocumentation" })
            Assert.True(JsonNode.DeepEquals(throughV1[field], stored[field]), $"{field}: {throughV1[field]} through /v1, {stored[field]} after the update");
        // One more case (the /v1 one), no PAS request stored beside it: the update is the first case's revision.
        Assert.Equal(before.Cases.Authorizations + 1, factory.CountAll().Cases.Authorizations);
        Assert.Equal(before.PasRequests, factory.CountAll().PasRequests);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id AND kind = 'supplemented'", ("@id", pended.Id())));
        AssertValid(answer);
    }

    [Fact]
    public async Task The_preAuthRef_in_related_names_the_case_too()
    {
        var (_, pended, memberId) = await PendedAsync();

        var answer = await factory.ProviderA.SubmitFhirOkAsync(UpdateOf(Examples.ForMember(Examples.Exacerbation, memberId),
            AuthorizationIdentifier(pended.Id())));

        Assert.Equal(pended.Id(), ClaimResponseOf(answer).Id());
        Assert.Equal(2, (int)(await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}"))["revision"]!);
    }

    [Fact]
    public async Task A_second_update_after_the_approval_is_refused_and_changes_nothing()
    {
        var (request, pended, memberId) = await PendedAsync();
        var update = UpdateOf(Examples.ForMember(Examples.Exacerbation, memberId), ClaimOf(request).Identifier[0]);
        Assert.Equal(["A1"], ClaimResponseOf(await factory.ProviderA.SubmitFhirOkAsync(update)).ReviewActions());
        var before = factory.CountAll();

        using var again = await factory.ProviderA.PostFhirAsync(Submit, Json(UpdateOf(Examples.ForMember(Examples.Exacerbation, memberId),
            ClaimOf(request).Identifier[0])));

        var outcome = await again.ResourceAsync<OperationOutcome>(HttpStatusCode.Conflict);
        Assert.Equal(OperationOutcome.IssueType.BusinessRule, Assert.Single(outcome.Issue).Code);
        Assert.Equal(before, factory.CountAll());
        Assert.Equal(2, (int)(await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}"))["revision"]!);
    }

    [Fact]
    public async Task Another_organizations_update_naming_the_claim_is_answered_as_an_unknown_claim_is()
    {
        var (request, pended, memberId) = await PendedAsync();
        var before = factory.CountAll();

        using var fromB = await factory.ProviderB.PostFhirAsync(Submit, Json(UpdateOf(Examples.ForMember(Examples.Exacerbation, memberId),
            ClaimOf(request).Identifier[0])));
        using var byPreAuthRef = await factory.ProviderB.PostFhirAsync(Submit, Json(UpdateOf(Examples.ForMember(Examples.Exacerbation, memberId),
            AuthorizationIdentifier(pended.Id()))));
        using var unknown = await factory.ProviderA.PostFhirAsync(Submit, Json(UpdateOf(Examples.ForMember(Examples.Exacerbation, memberId),
            new Identifier(ClaimOf(request).Identifier[0].System, "urn:uuid:" + Guid.NewGuid()))));

        var expected = Assert.Single((await unknown.ResourceAsync<OperationOutcome>(HttpStatusCode.UnprocessableEntity)).Issue);
        foreach (var response in new[] { fromB, byPreAuthRef })
        {
            var issue = Assert.Single((await response.ResourceAsync<OperationOutcome>(HttpStatusCode.UnprocessableEntity)).Issue);
            Assert.Equal(expected.Code, issue.Code);
            Assert.Equal(expected.Diagnostics, issue.Diagnostics);
        }
        Assert.Equal(before, factory.CountAll());
        Assert.Equal(1, (int)(await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}"))["revision"]!);
    }

    [Fact]
    public async Task An_update_for_another_member_is_refused_at_the_patient_and_changes_nothing()
    {
        var (request, pended, _) = await PendedAsync();
        var before = factory.CountAll();

        using var response = await factory.ProviderA.PostFhirAsync(Submit, Json(UpdateOf(Examples.ForNewMember(Examples.Exacerbation),
            ClaimOf(request).Identifier[0])));

        var issue = Assert.Single((await response.ResourceAsync<OperationOutcome>(HttpStatusCode.BadRequest)).Issue);
        Assert.Contains("member.id", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, factory.CountAll());
        Assert.Equal(1, (int)(await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}"))["revision"]!);
    }

    [Fact]
    public async Task An_update_still_missing_facts_leaves_the_case_pended_naming_what_is_still_missing()
    {
        var (request, pended, memberId) = await PendedAsync();
        var incomplete = MgAuth.Fhir.Tests.DtrBundles.WithQuestionnaire(UpdateOf(Examples.ForMember(Examples.Exacerbation, memberId),
            ClaimOf(request).Identifier[0]), null);
        var before = factory.CountAll();

        var answer = await factory.ProviderA.SubmitFhirOkAsync(incomplete);

        var response = ClaimResponseOf(answer);
        Assert.Equal(pended.Id(), response.Id());
        Assert.Equal(["A4"], response.ReviewActions());
        var asked = Assert.IsType<CommunicationRequest>(answer.Entry.Single(e => e.FullUrl == Assert.Single(response.CommunicationRequest).Reference).Resource);
        Assert.Contains(asked.Payload, p => p.Content is FhirString { Value: { } text } && text.StartsWith("indication:", StringComparison.Ordinal));
        Assert.Equal(before, factory.CountAll());
        Assert.Equal(1, (int)(await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}"))["revision"]!);
    }
}

/// <summary>A Claim update that decides a pended case is a new result: the subscriber hears of it as of a reviewer's determination.</summary>
public sealed class FhirClaimUpdateNotificationTests(LoopbackSubscriptionsFactory factory) : IClassFixture<LoopbackSubscriptionsFactory>
{
    [Fact]
    public async Task A_Claim_update_deciding_a_pended_case_reaches_the_subscriber_with_the_same_preAuthRef()
    {
        await using var ehr = await NotificationReceiver.StartAsync();
        using (var subscribed = await factory.ProviderA.PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson(ehr.Url)))
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        await ehr.NextAsync();
        var memberId = Examples.NewMemberId();
        var request = BundleOf(Examples.ExacerbationMissingBaselines(memberId));
        var pended = ClaimResponseOf(await factory.ProviderA.SubmitFhirOkAsync(request));

        await factory.ProviderA.SubmitFhirOkAsync(FhirClaimUpdateTests.UpdateOf(Examples.ForMember(Examples.Exacerbation, memberId),
            FhirClaimUpdateTests.ClaimOf(request).Identifier[0]));

        var response = ClaimResponseOf(Assert.IsType<Bundle>(Parse<Bundle>((await ehr.NextAsync()).Body).Entry[1].Resource));
        Assert.Equal(pended.Id(), response.PreAuthRef);
        Assert.Equal(["A1"], response.ReviewActions());
    }
}
