using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>POST /fhir/Claim/$inquire: the state of a request as it stands, found by preAuthRef or the Claim's identifier, for its own organization only.</summary>
public sealed class FhirInquireTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private async Task<(Bundle Request, ClaimResponse Response)> SubmittedAsync(string example, HttpClient? client = null)
    {
        var request = BundleOf(Examples.ForNewMember(example));
        return (request, ClaimResponseOf(await (client ?? factory.ProviderA).SubmitFhirOkAsync(request)));
    }

    private static Claim ClaimOf(Bundle request) => Assert.IsType<Claim>(request.Entry[0].Resource);

    [Fact]
    public async Task The_preAuthRef_finds_the_request_and_answers_it_as_submitted()
    {
        var (request, submitted) = await SubmittedAsync(Examples.Exacerbation);

        var answer = Assert.Single(await factory.ProviderA.InquireAsync(Inquiry(AuthorizationIdentifier(submitted.Id()))));

        var response = ClaimResponseOf(answer);
        Assert.Equal(submitted.Id(), response.Id());
        Assert.Equal(submitted.ReviewActions(), response.ReviewActions());
        Assert.Equal(request.Entry[0].FullUrl, response.Request?.Reference);
        AssertValid(answer);
    }

    [Fact]
    public async Task The_original_Claims_identifier_finds_the_request_as_the_guide_inquires()
    {
        var (request, submitted) = await SubmittedAsync(Examples.Crisis);

        var answer = Assert.Single(await factory.ProviderA.InquireAsync(Inquiry(ClaimOf(request).Identifier[0])));

        Assert.Equal(submitted.Id(), ClaimResponseOf(answer).PreAuthRef);
    }

    [Fact]
    public async Task After_a_clinicians_denial_the_answer_is_the_final_A3_with_its_reason()
    {
        var (_, submitted) = await SubmittedAsync(Examples.OverCeiling);
        Assert.Equal(["A4"], submitted.ReviewActions());

        await factory.Clinician().DetermineOkAsync(submitted.Id(), ReviewCalls.Deny());

        var response = ClaimResponseOf(Assert.Single(await factory.ProviderA.InquireAsync(Inquiry(AuthorizationIdentifier(submitted.Id())))));
        Assert.Equal(["A3"], response.ReviewActions());
        Assert.Equal(["0F"], response.ReviewReasons());
        Assert.Contains(response.ProcessNote, n => n.Text != null && n.Text.StartsWith("Clinician determination (deny)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_reviewers_approval_the_answer_is_the_final_approval_with_its_period()
    {
        var (_, submitted) = await SubmittedAsync(Examples.OverCeiling);
        var approved = await factory.Clinician().DetermineOkAsync(submitted.Id(), ReviewCalls.Approve());

        var response = ClaimResponseOf(Assert.Single(await factory.ProviderA.InquireAsync(Inquiry(AuthorizationIdentifier(submitted.Id())))));

        Assert.Equal([(string)approved["x12ReviewAction"]!], response.ReviewActions());
        Assert.Contains((string)approved["x12ReviewAction"]!, new[] { "A1", "A6" });
        Assert.NotNull(response.PreAuthPeriod);
    }

    [Fact]
    public async Task A_case_sent_as_contract_JSON_is_answered_in_PAS_too()
    {
        var json = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.PreThymectomy));

        var answer = Assert.Single(await factory.ProviderA.InquireAsync(Inquiry(AuthorizationIdentifier(json.Id()))));

        Assert.Equal([(string)json["x12ReviewAction"]!], ClaimResponseOf(answer).ReviewActions());
        AssertValid(answer);
    }

    [Fact]
    public async Task A_request_for_another_service_stays_pended_for_manual_review()
    {
        var guide = GuideExample("Bundle-ReferralAuthorizationBundleExample.json");
        var submitted = ClaimResponseOf(await factory.ProviderA.SubmitFhirOkAsync(guide));
        var claim = Parse<Bundle>(guide).Entry[0].Resource as Claim;

        foreach (var inquiry in new[] { Inquiry(AuthorizationIdentifier(submitted.Id())), Inquiry(claim!.Identifier[0]) })
        {
            var response = ClaimResponseOf(Assert.Single(await factory.ProviderA.InquireAsync(inquiry)));
            Assert.Equal(submitted.Id(), response.Id());
            Assert.All(response.ReviewActions(), code => Assert.Equal("A4", code));
        }
    }

    [Fact]
    public async Task Another_organizations_case_is_indistinguishable_from_none()
    {
        var (request, submitted) = await SubmittedAsync(Examples.Exacerbation);
        var none = await AnswerAsync(Inquiry(AuthorizationIdentifier("PA-NOSUCHCASE-0000000000")));

        foreach (var inquiry in new[] { Inquiry(AuthorizationIdentifier(submitted.Id())), Inquiry(ClaimOf(request).Identifier[0]),
                     Inquiry(new Identifier(null, submitted.Id())) })
            Assert.Equal(none, await AnswerAsync(inquiry));
        // The plan's reviewer sees it.
        Assert.Single(await factory.Reviewer.InquireAsync(Inquiry(AuthorizationIdentifier(submitted.Id()))));
    }

    // Org B's answer, all but the answer's own id: status, headers that say anything about the case, and body.
    private async Task<string> AnswerAsync(Bundle inquiry)
    {
        using var response = await factory.ProviderB.PostFhirAsync(Inquire, Json(inquiry));
        var parameters = await response.ResourceAsync<Parameters>(HttpStatusCode.OK);
        parameters.Id = null;
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {response.Headers.ETag} {Json(parameters)}";
    }

    [Fact]
    public async Task An_inquiry_that_identifies_nothing_is_400_naming_the_path()
    {
        using var response = await factory.ProviderA.PostFhirAsync(Inquire, Json(Inquiry()));

        Assert.Equal(["Bundle.entry[0].resource.identifier"], await response.OutcomePathsAsync(HttpStatusCode.BadRequest));
    }
}
