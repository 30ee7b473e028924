using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Tests;

/// <summary>POST /v1/authorizations/{id}/determination: a person decides a pended case, by the role rules, on the version they read.</summary>
public sealed class DeterminationTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    // ---- role rules ---------------------------------------------------------------------------

    [Theory]
    [InlineData("deny")]
    [InlineData("approve_modified")]
    public async Task A_reviewer_may_not_deny_or_modify_and_nothing_changes(string action)
    {
        var pended = await factory.PendedDenyAsync();
        var body = action == "deny" ? ReviewCalls.Deny() : ModifiedTo(80, 2);
        var etag = await factory.Reviewer.ETagAsync(pended.Id());
        var before = factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id AND kind <> 'viewed'", ("@id", pended.Id()));

        using var response = await factory.Reviewer.DetermineAsync(pended.Id(), body, etag);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/clinician-required", (string)problem["type"]!);
        Assert.Contains("Only a clinician may deny or modify", (string)problem["detail"]!);
        var read = await factory.Reviewer.GetOkAsync($"/v1/authorizations/{pended.Id()}");
        Assert.Equal("pended", (string)read["status"]!);
        Assert.Null(read["determination"]);
        Assert.Equal(etag, await factory.Reviewer.ETagAsync(pended.Id()));
        Assert.Equal(before, factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id AND kind <> 'viewed'", ("@id", pended.Id())));
    }

    [Fact]
    public async Task A_reviewer_hears_the_role_rule_before_what_else_the_body_lacks()
    {
        var pended = await factory.PendedDenyAsync();

        using var response = await factory.Reviewer.DetermineAsync(pended.Id(), new JsonObject { ["action"] = "deny" }, await factory.Reviewer.ETagAsync(pended.Id()));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_reviewer_may_approve_and_the_case_is_final_with_a_persons_determination()
    {
        var pended = await factory.PendedReviewAsync();

        var decided = await factory.Reviewer.DetermineOkAsync(pended.Id(), ReviewCalls.Approve("Baselines are in the chart; worsening is clear."));

        Assert.Equal("approved", (string)decided["status"]!);
        Assert.Equal("approve", (string)decided["decision"]!);
        Assert.Equal("A1", (string)decided["x12ReviewAction"]!);
        Assert.Null(decided["denialKind"]);
        var authorized = decided["authorized"]!;
        Assert.Equal(150m, (decimal)authorized["courseGrams"]!);
        Assert.Equal("2026-12-01", (string)authorized["validFrom"]!);
        Assert.Equal("2026-12-30", (string)authorized["validThrough"]!);
        var determination = decided["determination"]!;
        Assert.Equal("approve", (string)determination["action"]!);
        Assert.True((bool)determination["wasHumanReviewed"]!);
        Assert.Equal("review", (string)determination["engineRecommendation"]!);
        Assert.Equal(factory.Keys.Reviewer.Record.Id, (string)determination["reviewer"]!["keyId"]!);
        Assert.Equal("Reviewer", (string)determination["reviewer"]!["person"]!["name"]!);
        Assert.Equal("reviewer", (string)determination["reviewer"]!["role"]!);
        Assert.Equal("Baselines are in the chart; worsening is clear.", (string)determination["rationale"]!);

        var listed = await factory.Reviewer.GetOkAsync($"/v1/authorizations?memberId={ReadMember(pended.Id())}");
        Assert.Equal("approved", (string)listed["items"]![0]!["status"]!);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE id = @id AND decided_at IS NOT NULL AND decided_at <> received_at", ("@id", pended.Id())));
    }

    [Fact]
    public async Task A_clinician_denies_with_a_reason_from_the_policy_and_their_npi()
    {
        var npi = "1003000126";
        var clinician = factory.ClientFor(factory.NewPlanKey(Roles.Clinician, npi));
        var pended = await factory.PendedDenyAsync();

        var decided = await clinician.DetermineOkAsync(pended.Id(), ReviewCalls.Deny());

        Assert.Equal("denied", (string)decided["status"]!);
        Assert.Equal("deny", (string)decided["decision"]!);
        Assert.Equal("medical_necessity", (string)decided["denialKind"]!);
        Assert.Equal("A3", (string)decided["x12ReviewAction"]!);
        Assert.Null(decided["authorized"]);
        var determination = decided["determination"]!;
        Assert.Equal("deny", (string)determination["action"]!);
        Assert.Equal("DOSE_ABOVE_COURSE_CEILING", (string)determination["reasonCode"]!);
        Assert.Equal("§4 D1", (string)determination["policyRef"]!);
        Assert.StartsWith("2023 international guideline review of IVIG in MG", (string)determination["evidence"]!);
        Assert.Contains("exceeds the 2 g/kg ceiling", (string)determination["reasonMessage"]!);
        Assert.Equal("clinician", (string)determination["reviewer"]!["role"]!);
        Assert.Equal(npi, (string)determination["reviewer"]!["npi"]!);
        Assert.True((bool)determination["wasHumanReviewed"]!);
        Assert.Equal("deny", (string)determination["engineRecommendation"]!);

        var read = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}");
        Assert.Equal("denied", (string)read["status"]!);
        Assert.Equal("deny", (string)read["determination"]!["action"]!);
    }

    [Fact]
    public async Task A_clinician_approves_a_modified_regimen()
    {
        var pended = await factory.PendedDenyAsync();

        var decided = await factory.Clinician().DetermineOkAsync(pended.Id(), ModifiedTo(80, 2));

        Assert.Equal("approved", (string)decided["status"]!);
        Assert.Equal("A6", (string)decided["x12ReviewAction"]!);
        Assert.Equal(160m, (decimal)decided["authorized"]!["courseGrams"]!);
        Assert.Equal("2026-12-01", (string)decided["authorized"]!["validFrom"]!);
        Assert.Equal("2026-12-30", (string)decided["authorized"]!["validThrough"]!);
        Assert.Equal(80m, (decimal)decided["determination"]!["modifiedRegimen"]!["gramsPerDay"]!);
    }

    [Fact]
    public async Task Reason_codes_come_from_the_policys_closed_set_and_every_field_error_is_named()
    {
        var pended = await factory.PendedDenyAsync();
        var etag = await factory.Clinician().ETagAsync(pended.Id());

        using var unknown = await factory.Clinician().DetermineAsync(pended.Id(),
            new JsonObject { ["action"] = "deny", ["reasonCode"] = "TOO_EXPENSIVE", ["rationale"] = " " }, etag);
        var problem = await unknown.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "rationale", "reasonCode" }, problem["errors"]!.AsObject().Select(e => e.Key).Order().ToArray());

        using var noAction = await factory.Clinician().DetermineAsync(pended.Id(), new JsonObject { ["action"] = "maybe", ["rationale"] = "x" }, etag);
        Assert.Contains("action", (await noAction.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));

        using var noRegimen = await factory.Clinician().DetermineAsync(pended.Id(), ReviewCalls.Determination("approve_modified", "DOSE_ABOVE_COURSE_CEILING"), etag);
        Assert.Contains("modifiedRegimen", (await noRegimen.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));

        using var noItems = await factory.Clinician().DetermineAsync(pended.Id(), ReviewCalls.Determination("request_information", "DOCUMENTATION_MISSING"), etag);
        Assert.Contains("missingDocumentation", (await noItems.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));

        Assert.Equal(etag, await factory.Clinician().ETagAsync(pended.Id()));
    }

    // ---- versions -----------------------------------------------------------------------------

    [Fact]
    public async Task Without_If_Match_a_determination_is_428()
    {
        var pended = await factory.PendedDenyAsync();

        using var response = await factory.Clinician().DetermineAsync(pended.Id(), ReviewCalls.Deny(), null);

        var problem = await response.AssertProblemAsync((HttpStatusCode)428);
        Assert.Contains("If-Match", (string)problem["detail"]!);
    }

    [Fact]
    public async Task A_stale_If_Match_is_412()
    {
        var pended = await factory.PendedReviewAsync();
        var stale = await factory.Reviewer.ETagAsync(pended.Id());
        await factory.ProviderA.SupplementOkAsync(pended.Id(), new JsonObject { ["clinical"] = new JsonObject { ["egfr"] = 70 } });

        using var response = await factory.Reviewer.DetermineAsync(pended.Id(), ReviewCalls.Approve(), stale);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.NotEqual(stale, await factory.Reviewer.ETagAsync(pended.Id()));
    }

    [Fact]
    public async Task Two_clinicians_racing_on_the_same_version_one_wins_the_other_gets_412()
    {
        var second = factory.ClientFor(factory.NewPlanKey(Roles.Clinician, "1333333338"));
        for (var round = 0; round < 3; round++)
        {
            var pended = await factory.PendedDenyAsync();
            var etag = await factory.Clinician().ETagAsync(pended.Id());

            var answers = await Task.WhenAll(
                factory.Clinician().DetermineAsync(pended.Id(), ReviewCalls.Deny(), etag),
                second.DetermineAsync(pended.Id(), ModifiedTo(80, 2), etag));

            var statuses = answers.Select(a => (int)a.StatusCode).Order().ToArray();
            Assert.Equal(new[] { 200, 412 }, statuses);
            await answers.Single(a => a.StatusCode == HttpStatusCode.PreconditionFailed).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
            Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM determinations WHERE authorization_id = @id", ("@id", pended.Id())));
            Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id AND kind = 'determined'", ("@id", pended.Id())));
            foreach (var answer in answers) answer.Dispose();
        }
    }

    [Fact]
    public async Task A_final_case_is_not_determined_again()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());

        using var again = await factory.Clinician().DetermineAsync(pended.Id(), ReviewCalls.Approve(), await factory.Clinician().ETagAsync(pended.Id()));

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/already-final", (string)problem["type"]!);
        var approvedOnArrival = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        using var engineFinal = await factory.Clinician().DetermineAsync(approvedOnArrival.Id(), ReviewCalls.Deny(),
            await factory.Clinician().ETagAsync(approvedOnArrival.Id()));
        await engineFinal.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_ETag_moves_with_the_determination()
    {
        var pended = await factory.PendedReviewAsync();
        var before = await factory.Reviewer.ETagAsync(pended.Id());

        using var response = await factory.Reviewer.DetermineAsync(pended.Id(), ReviewCalls.Approve(), before);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(before, response.Headers.ETag?.ToString());
        Assert.Equal(response.Headers.ETag?.ToString(), await factory.Reviewer.ETagAsync(pended.Id()));
    }

    [Theory]
    [InlineData(Roles.Provider)]
    [InlineData(Roles.PolicyAuthor)]
    [InlineData(Roles.Admin)]
    public async Task Other_roles_may_not_determine(string role)
    {
        var pended = await factory.PendedReviewAsync();
        var client = factory.ClientFor(factory.Keys.Named(role));

        using var response = await client.DetermineAsync(pended.Id(), ReviewCalls.Approve(), "\"1\"");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    // ---- request for information ---------------------------------------------------------------

    [Fact]
    public async Task Requesting_information_sends_the_case_back_to_the_provider_and_the_supplement_decides_it()
    {
        var pended = await factory.PendedReviewAsync();

        var asked = await factory.Reviewer.DetermineOkAsync(pended.Id(), ReviewCalls.RequestInformation("clinical.mgAdl.baseline", "clinical.qmg.baseline", "clinical.notes"));

        Assert.Equal("pended", (string)asked["status"]!);
        Assert.Equal("A4", (string)asked["x12ReviewAction"]!);
        Assert.Equal("request_information", (string)asked["determination"]!["action"]!);
        var missing = asked["missingDocumentation"]!.AsArray().Select(m => (string)m!).ToArray();
        Assert.Contains("clinical.notes", missing);
        Assert.Contains("clinical.mgAdl.baseline", missing);
        Assert.Null(await factory.Reviewer.QueueItemAsync(pended.Id()));
        var seenByProvider = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}");
        Assert.Equal("pended", (string)seenByProvider["status"]!);
        Assert.Contains("clinical.notes", seenByProvider["missingDocumentation"]!.AsArray().Select(m => (string)m!));

        var supplemented = await factory.ProviderA.SupplementOkAsync(pended.Id(), Examples.BaselinesSupplement());

        Assert.Equal("approved", (string)supplemented["status"]!);
        var read = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}");
        Assert.Equal("approved", (string)read["status"]!);
        Assert.Null(read["determination"]);
    }

    [Fact]
    public async Task A_case_still_pended_after_the_supplement_comes_back_to_the_queue()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.RequestInformation("clinical.respiratory"));
        Assert.Null(await factory.Reviewer.QueueItemAsync(pended.Id()));

        await factory.ProviderA.SupplementOkAsync(pended.Id(), new JsonObject { ["clinical"] = new JsonObject { ["respiratory"] = new JsonObject { ["fvcMlPerKg"] = 25 } } });

        var item = await factory.Reviewer.QueueItemAsync(pended.Id());
        Assert.NotNull(item);
        Assert.Equal("deny", (string)item["recommendation"]!);
    }

    private static JsonObject ModifiedTo(decimal gramsPerDay, int days)
    {
        var body = ReviewCalls.Determination("approve_modified", "DOSE_ABOVE_COURSE_CEILING", "Approved at the 2 g/kg ceiling.");
        body["modifiedRegimen"] = new JsonObject { ["gramsPerDay"] = gramsPerDay, ["infusionDays"] = days, ["startDate"] = "2026-12-01" };
        return body;
    }

    private string ReadMember(string id)
    {
        using var connection = factory.OpenDatabase();
        using var command = MgAuthFactory.Command(connection, "SELECT member_id FROM authorizations WHERE id = @id", ("@id", id));
        return (string)command.ExecuteScalar()!;
    }
}
