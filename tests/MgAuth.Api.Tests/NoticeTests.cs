using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>GET /v1/authorizations/{id}/notice: the written notice of a final decision, as JSON or as a page a person reads.</summary>
public sealed class NoticeTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private async Task<HttpResponseMessage> HtmlAsync(HttpClient client, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/authorizations/{id}/notice");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_clinicians_denial_gives_each_reason_with_its_criterion_and_evidence_and_how_to_appeal()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny(rationale: "4 g/kg is twice the ceiling; 160 g can be approved."));

        var notice = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}/notice");

        Assert.Equal(pended.Id(), (string)notice["authorizationId"]!);
        Assert.Equal("denied", (string)notice["outcome"]!);
        Assert.Contains("is denied", (string)notice["summary"]!);
        var reason = Assert.Single(notice["reasons"]!.AsArray())!;
        Assert.Equal("DOSE_ABOVE_COURSE_CEILING", (string)reason["code"]!);
        Assert.StartsWith("Requested 312 g per course exceeds the 2 g/kg ceiling", (string)reason["statement"]!);
        Assert.Equal("§4 D1", (string)reason["criterion"]!);
        Assert.StartsWith("2023 international guideline review of IVIG in MG", (string)reason["evidence"]!);
        Assert.Null(notice["authorized"]);
        Assert.Contains("160 g", (string)notice["approvableAlternative"]!);
        Assert.True((bool)notice["decidedBy"]!["wasHumanReviewed"]!);
        Assert.Equal("clinician", (string)notice["decidedBy"]!["role"]!);
        Assert.Equal("4 g/kg is twice the ceiling; 160 g can be approved.", (string)notice["decidedBy"]!["rationale"]!);
        Assert.Equal(60, (int)notice["appeal"]!["withinDays"]!);
        Assert.Contains(pended.Id(), (string)notice["appeal"]!["howToAppeal"]!);
        Assert.Contains("expedited", (string)notice["appeal"]!["expedited"]!);
        Assert.Contains("free of charge on request", (string)notice["criteriaAvailable"]!);
        Assert.Equal("A3", (string)notice["x12ReviewAction"]!);
    }

    [Fact]
    public async Task The_html_notice_reads_as_a_page_and_encodes_what_comes_from_data()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny(rationale: "<script>alert('x')</script> & \"more\""));

        using var response = await HtmlAsync(factory.ProviderA, pended.Id());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!doctype html>", html);
        Assert.Contains("Denied", html);
        Assert.Contains("DOSE_ABOVE_COURSE_CEILING", html);
        Assert.Contains("How to appeal", html);
        Assert.Contains("free of charge on request", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task An_approval_says_what_is_authorized_and_for_how_long_and_needs_no_appeal()
    {
        var approved = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));

        var notice = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{approved.Id()}/notice");

        Assert.Equal("approved", (string)notice["outcome"]!);
        var authorized = notice["authorized"]!;
        Assert.Equal(150m, (decimal)authorized["courseGrams"]!);
        Assert.Equal("2026-12-01", (string)authorized["validFrom"]!);
        Assert.Equal("2026-12-30", (string)authorized["validThrough"]!);
        Assert.Equal(30, (int)authorized["days"]!);
        Assert.Contains("INDICATION_EXACERBATION_MET", notice["reasons"]!.AsArray().Select(r => (string)r!["code"]!));
        Assert.All(notice["reasons"]!.AsArray(), r => Assert.False(string.IsNullOrEmpty((string)r!["criterion"]!)));
        Assert.Null(notice["appeal"]);
        Assert.False((bool)notice["decidedBy"]!["wasHumanReviewed"]!);
        using var html = await HtmlAsync(factory.ProviderA, approved.Id());
        var page = await html.Content.ReadAsStringAsync();
        Assert.Contains("What is authorized", page);
        Assert.Contains("2026-12-01 through 2026-12-30 (30 days)", page);
        Assert.DoesNotContain("How to appeal", page);
    }

    [Fact]
    public async Task A_modified_approval_names_the_change_and_how_to_appeal_it()
    {
        var pended = await factory.PendedDenyAsync();
        var modified = ReviewCalls.Determination("approve_modified", "DOSE_ABOVE_COURSE_CEILING", "Approved at the 2 g/kg ceiling.");
        modified["modifiedRegimen"] = new JsonObject { ["gramsPerDay"] = 80, ["infusionDays"] = 2, ["startDate"] = "2026-12-01" };
        await factory.Clinician().DetermineOkAsync(pended.Id(), modified);

        var notice = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended.Id()}/notice");

        Assert.Equal("approved_modified", (string)notice["outcome"]!);
        Assert.Equal(160m, (decimal)notice["authorized"]!["courseGrams"]!);
        Assert.Contains("instead of the 78 g a day for 4 days requested", (string)notice["reasons"]![0]!["statement"]!);
        Assert.NotNull(notice["appeal"]);
    }

    [Fact]
    public async Task An_administrative_denial_by_the_rules_has_its_notice_too()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        request["diagnosis"]!["icd10"] = "G35";
        var denied = await factory.ProviderA.SubmitCreatedAsync(request);

        var notice = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{denied.Id()}/notice");

        Assert.Equal("denied", (string)notice["outcome"]!);
        Assert.Equal("DIAGNOSIS_NOT_COVERED", (string)Assert.Single(notice["reasons"]!.AsArray())!["code"]!);
        Assert.False((bool)notice["decidedBy"]!["wasHumanReviewed"]!);
        Assert.Contains("administrative", (string)notice["decidedBy"]!["statement"]!);
        Assert.NotNull(notice["appeal"]);
    }

    [Fact]
    public async Task A_pended_case_has_no_notice_yet()
    {
        var pended = await factory.PendedDenyAsync();

        using var response = await factory.ProviderA.GetAsync($"/v1/authorizations/{pended.Id()}/notice");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/not-final", (string)problem["type"]!);
    }

    [Fact]
    public async Task Another_organizations_notice_is_404_and_reading_it_is_recorded()
    {
        var approved = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));

        using var other = await factory.ProviderB.GetAsync($"/v1/authorizations/{approved.Id()}/notice");
        await other.AssertProblemAsync(HttpStatusCode.NotFound);
        using (await HtmlAsync(factory.Reviewer, approved.Id())) { }

        var views = (await factory.Admin().EventsAsync(approved.Id())).Where(e => (string)e!["kind"]! == "viewed").ToArray();
        Assert.Contains(views, v => (string)v!["actor"]! == factory.Keys.Reviewer.Record.Id && (string?)v["detail"] == "notice (html)");
    }
}
