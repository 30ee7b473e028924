using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Tests;

/// <summary>
/// Who signs a determination (issue 11, item 6): the NPI comes from the key, never from the body; a denial, a
/// modification and an appeal's decision need a key with an NPI; appeal independence is per person (NPI), not per key.
/// </summary>
public sealed class ReviewerSignatureTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private const string SomeoneElsesNpi = "1003000126";

    private long Determinations(string id) =>
        factory.ScalarLong("SELECT COUNT(*) FROM determinations WHERE authorization_id = @id", ("@id", id));

    private static JsonObject SignedAs(JsonObject body, string npi)
    {
        body["reviewerNpi"] = npi;
        return body;
    }

    [Fact]
    public async Task A_clinician_signing_with_someone_elses_npi_is_400_naming_the_field_and_nothing_is_stored()
    {
        var pended = await factory.PendedDenyAsync();
        var etag = await factory.Clinician().ETagAsync(pended.Id());
        var body = SignedAs(ReviewCalls.Deny(), SomeoneElsesNpi);
        body.Remove("rationale");

        using var response = await factory.Clinician().DetermineAsync(pended.Id(), body, etag);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("reviewerNpi", errors.Select(e => e.Key));
        Assert.Contains("rationale", errors.Select(e => e.Key)); // every bad field at once
        Assert.DoesNotContain(TestKeys.ClinicianNpi, problem.ToJsonString());
        Assert.Equal(0, Determinations(pended.Id()));
        Assert.Equal(etag, await factory.Clinician().ETagAsync(pended.Id()));
    }

    [Fact]
    public async Task A_reviewer_whose_key_has_no_npi_cannot_sign_with_one()
    {
        var pended = await factory.PendedReviewAsync();

        using var response = await factory.Reviewer.DetermineAsync(pended.Id(), SignedAs(ReviewCalls.Approve(), SomeoneElsesNpi),
            await factory.Reviewer.ETagAsync(pended.Id()));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("reviewerNpi", problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, Determinations(pended.Id()));

        var approved = await factory.Reviewer.DetermineOkAsync(pended.Id(), ReviewCalls.Approve());
        Assert.Null(approved["determination"]!["reviewer"]!["npi"]);
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM determinations WHERE authorization_id = @id AND reviewer_npi IS NOT NULL", ("@id", pended.Id())));
    }

    [Fact]
    public async Task The_keys_own_npi_in_the_body_is_accepted_and_signs_the_determination()
    {
        var pended = await factory.PendedDenyAsync();

        var denied = await factory.Clinician().DetermineOkAsync(pended.Id(), SignedAs(ReviewCalls.Deny(), TestKeys.ClinicianNpi));

        Assert.Equal(TestKeys.ClinicianNpi, (string)denied["determination"]!["reviewer"]!["npi"]!);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM determinations WHERE authorization_id = @id AND reviewer_npi = @npi",
            ("@id", pended.Id()), ("@npi", TestKeys.ClinicianNpi)));
    }

    [Theory]
    [InlineData("deny")]
    [InlineData("approve_modified")]
    public async Task A_clinician_key_without_an_npi_may_not_deny_or_modify(string action)
    {
        var unsigned = factory.ClientFor(factory.NewPlanKey(Roles.Clinician));
        var pended = await factory.PendedDenyAsync();
        var body = action == "deny" ? ReviewCalls.Deny() : ReviewCalls.Determination("approve_modified", "DOSE_ABOVE_COURSE_CEILING", "At the ceiling.");
        if (action == "approve_modified")
            body["modifiedRegimen"] = new JsonObject { ["gramsPerDay"] = 80, ["infusionDays"] = 2, ["startDate"] = "2026-12-01" };

        using var response = await unsigned.DetermineAsync(pended.Id(), body, await unsigned.ETagAsync(pended.Id()));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/npi-required", (string)problem["type"]!);
        Assert.Contains("NPI", (string)problem["detail"]!);
        Assert.Equal(0, Determinations(pended.Id()));
        // Approving needs no signature of medical necessity.
        var approved = await unsigned.DetermineOkAsync(pended.Id(), ReviewCalls.Approve());
        Assert.Equal("approved", (string)approved["status"]!);
    }

    [Fact]
    public async Task A_clinician_with_a_second_key_cannot_decide_the_appeal_of_their_own_denial()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());
        var appeal = await factory.ProviderA.AppealOkAsync(pended.Id());
        var secondKey = factory.ClientFor(factory.NewPlanKey(Roles.Clinician, TestKeys.ClinicianNpi, TestKeys.ClinicianPerson));

        using var response = await secondKey.DetermineAsync(appeal.Id(), ReviewCalls.Approve("I overturn my own denial."),
            await secondKey.ETagAsync(appeal.Id()));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/independent-reviewer-required", (string)problem["type"]!);
        Assert.Equal(0, Determinations(appeal.Id()));
        Assert.Equal("pended", (string)(await factory.Clinician().GetOkAsync($"/v1/authorizations/{appeal.Id()}"))["status"]!);

        // Nor by signing with another NPI in the body.
        using var disguised = await secondKey.DetermineAsync(appeal.Id(), SignedAs(ReviewCalls.Approve(), SomeoneElsesNpi),
            await secondKey.ETagAsync(appeal.Id()));
        Assert.Contains(disguised.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden });
        Assert.Equal(0, Determinations(appeal.Id()));

        var independent = factory.ClientFor(factory.NewPlanKey(Roles.Clinician, "1444444446"));
        var decided = await independent.DetermineOkAsync(appeal.Id(), ReviewCalls.Approve("On appeal: the decline justifies the course."));
        Assert.Equal("approved", (string)decided["status"]!);
        Assert.Equal("1444444446", (string)decided["determination"]!["reviewer"]!["npi"]!);
    }

    [Fact]
    public async Task An_appeal_is_decided_only_by_a_key_with_an_npi()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());
        var appeal = await factory.ProviderA.AppealOkAsync(pended.Id());
        var unsigned = factory.ClientFor(factory.NewPlanKey(Roles.Clinician));

        using var response = await unsigned.DetermineAsync(appeal.Id(), ReviewCalls.Approve(), await unsigned.ETagAsync(appeal.Id()));

        Assert.EndsWith("/npi-required", (string)(await response.AssertProblemAsync(HttpStatusCode.Forbidden))["type"]!);
        Assert.Equal(0, Determinations(appeal.Id()));
    }
}
