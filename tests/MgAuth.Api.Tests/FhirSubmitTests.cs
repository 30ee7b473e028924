using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using MgAuth.Fhir;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>POST /fhir/Claim/$submit: decided and stored exactly as /v1/authorizations decides and stores, answered in PAS.</summary>
public sealed class FhirSubmitTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    public static TheoryData<string> ExampleNames() => new(Examples.All);

    public static TheoryData<string> PackageExamples() => new(GuideExamples());

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public async Task Every_example_gets_through_submit_the_decision_code_and_amounts_it_gets_through_v1(string name)
    {
        var json = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(name));

        var answer = await factory.ProviderA.SubmitFhirOkAsync(BundleOf(Examples.ForNewMember(name)));

        var response = ClaimResponseOf(answer);
        Assert.Equal(ClaimProcessingCodes.Complete, response.Outcome);
        Assert.Equal([(string)json["x12ReviewAction"]!], response.ReviewActions());
        var stored = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{response.PreAuthRef}");
        foreach (var field in new[] { "decision", "status", "denialKind", "x12ReviewAction", "authorized", "missingDocumentation" })
            Assert.True(JsonNode.DeepEquals(json[field], stored[field]), $"{name}: {field} {json[field]} through /v1, {stored[field]} through $submit");
        Assert.Equal(json.Codes(), stored.Codes());
        if (json["authorized"] is JsonObject authorized)
        {
            Assert.Equal((decimal)authorized["totalGrams"]!, response.AuthorizedGrams());
            Assert.Equal((string)authorized["validFrom"]!, response.PreAuthPeriod?.Start);
            Assert.Equal((string)authorized["validThrough"]!, response.PreAuthPeriod?.End);
        }
        else
        {
            Assert.Null(response.AuthorizedGrams());
            Assert.Null(response.PreAuthPeriod);
        }
        AssertValid(answer);
    }

    [Theory]
    [MemberData(nameof(PackageExamples))]
    public async Task Every_request_example_of_the_PAS_guide_is_stored_and_pended_for_manual_review(string file)
    {
        var before = factory.CountAll();

        var answer = await factory.ProviderA.SubmitFhirOkAsync(GuideExample(file));

        var response = ClaimResponseOf(answer);
        Assert.NotEmpty(response.Item);
        Assert.All(response.ReviewActions(), code => Assert.Equal("A4", code));
        Assert.StartsWith("PA-", response.Id());
        Assert.Equal(before.PasRequests + 1, factory.CountAll().PasRequests);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM pas_requests WHERE id = @id AND service = 'other' AND organization_id = @org",
            ("@id", response.Id()), ("@org", TestKeys.OrgA)));
        AssertValid(answer);
    }

    [Fact]
    public async Task A_pended_IVIG_request_waits_in_the_review_queue_and_its_answer_says_why()
    {
        var answer = await factory.ProviderA.SubmitFhirOkAsync(BundleOf(Examples.ForNewMember(Examples.OverCeiling)));

        var response = ClaimResponseOf(answer);
        Assert.Equal(["A4"], response.ReviewActions());
        Assert.Contains(response.ProcessNote, n => n.Text != null && n.Text.Contains("DOSE_ABOVE_COURSE_CEILING", StringComparison.Ordinal));
        Assert.NotNull(await factory.Reviewer.QueueItemAsync(response.Id()));
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM pas_requests WHERE id = @id AND service = 'ivig'", ("@id", response.Id())));
    }

    [Fact]
    public async Task Missing_documentation_is_named_with_where_to_send_it()
    {
        var answer = await factory.ProviderA.SubmitFhirOkAsync(BundleOf(Examples.ExacerbationMissingBaselines()));

        var response = ClaimResponseOf(answer);
        Assert.Equal(["A4"], response.ReviewActions());
        Assert.Contains(response.ProcessNote, n => n.Text != null && n.Text.StartsWith("Missing documentation: clinical.mgAdl.baseline", StringComparison.Ordinal)
                                                   && n.Text.Contains(FindingCodes.MgAdlBaseline, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_Idempotency_Key_answers_the_same_case_and_stores_it_once()
    {
        var json = Json(BundleOf(Examples.ForNewMember(Examples.Exacerbation)));
        var key = Guid.NewGuid().ToString();
        var before = factory.CountAll();

        using var first = await factory.ProviderA.PostFhirAsync(Submit, json, idempotencyKey: key);
        using var second = await factory.ProviderA.PostFhirAsync(Submit, json, idempotencyKey: key);

        var ids = new[] { await first.ResourceAsync<Bundle>(HttpStatusCode.OK), await second.ResourceAsync<Bundle>(HttpStatusCode.OK) }
            .Select(b => ClaimResponseOf(b).PreAuthRef).ToArray();
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(before.Cases.Authorizations + 1, factory.CountRows().Authorizations);
        Assert.Equal(before.PasRequests + 1, factory.CountAll().PasRequests);
    }

    [Fact]
    public async Task A_retried_request_for_another_service_is_stored_once_and_a_reused_key_on_another_request_is_refused()
    {
        var examples = GuideExamples().ToArray();
        var json = GuideExample(examples[0]);
        var key = Guid.NewGuid().ToString();
        var before = factory.CountAll();

        using var first = await factory.ProviderA.PostFhirAsync(Submit, json, idempotencyKey: key);
        using var retried = await factory.ProviderA.PostFhirAsync(Submit, json, idempotencyKey: key);
        using var another = await factory.ProviderA.PostFhirAsync(Submit, GuideExample(examples[1]), idempotencyKey: key);
        using var otherOrganization = await factory.ProviderB.PostFhirAsync(Submit, json, idempotencyKey: key);

        var answers = new[] { await first.ResourceAsync<Bundle>(HttpStatusCode.OK), await retried.ResourceAsync<Bundle>(HttpStatusCode.OK) }
            .Select(ClaimResponseOf).ToArray();
        Assert.Equal(answers[0].PreAuthRef, answers[1].PreAuthRef);
        Assert.All(answers[1].ReviewActions(), action => Assert.Equal("A4", action));
        await another.ResourceAsync<OperationOutcome>(HttpStatusCode.UnprocessableEntity);
        Assert.NotEqual(answers[0].PreAuthRef, ClaimResponseOf(await otherOrganization.ResourceAsync<Bundle>(HttpStatusCode.OK)).PreAuthRef);
        Assert.Equal(before.PasRequests + 2, factory.CountAll().PasRequests);
    }

    [Fact]
    public async Task Plain_application_json_is_taken_too()
    {
        using var response = await factory.ProviderA.PostFhirAsync(Submit, Json(BundleOf(Examples.ForNewMember(Examples.Crisis))), "application/json");

        Assert.IsType<ClaimResponse>((await response.ResourceAsync<Bundle>(HttpStatusCode.OK)).Entry[0].Resource);
    }
}
