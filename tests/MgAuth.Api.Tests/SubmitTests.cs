using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>POST /v1/authorizations: validate, decide, store, answer 201 with the decision; GET it back by id and in lists.</summary>
public sealed class SubmitTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    [Fact]
    public async Task A_valid_request_is_decided_stored_and_answered_201_with_the_decision()
    {
        var before = factory.CountRows();
        using var response = await factory.ProviderA.SubmitAsync(Examples.ForNewMember(Examples.Exacerbation));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = (await response.JsonAsync()).AsObject();
        var id = (string)decision["authorizationId"]!;
        Assert.StartsWith("PA-", id);
        Assert.Equal($"/v1/authorizations/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(1, (int)decision["revision"]!);
        Assert.Equal("approve", (string)decision["decision"]!);
        Assert.Equal("approved", (string)decision["status"]!);
        Assert.Equal("A1", (string)decision["x12ReviewAction"]!);
        Assert.Equal("standard", (string)decision["urgency"]!);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), (string)decision["asOf"]!);
        Assert.Contains("INDICATION_EXACERBATION_MET", decision.Codes());
        Assert.NotEmpty(decision["trace"]!.AsArray());
        Assert.Equal("ivig-mg-standard", (string)decision["policy"]!["id"]!);

        var after = factory.CountRows();
        Assert.Equal(before.Authorizations + 1, after.Authorizations);
        Assert.Equal(before.Revisions + 1, after.Revisions);
        Assert.True(after.Events > before.Events);
    }

    [Fact]
    public async Task A_standard_request_is_due_seven_days_after_it_was_received()
    {
        var decision = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));

        var receivedAt = DateTimeOffset.Parse((string)decision["receivedAt"]!);
        var dueBy = DateTimeOffset.Parse((string)decision["dueBy"]!);
        Assert.InRange(receivedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(TimeSpan.FromDays(7), dueBy - receivedAt);
    }

    [Fact]
    public async Task An_expedited_request_is_due_72_hours_after_it_was_received()
    {
        var decision = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Crisis));

        Assert.Equal("expedited", (string)decision["urgency"]!);
        var receivedAt = DateTimeOffset.Parse((string)decision["receivedAt"]!);
        var dueBy = DateTimeOffset.Parse((string)decision["dueBy"]!);
        Assert.Equal(TimeSpan.FromHours(72), dueBy - receivedAt);
    }

    [Theory]
    [InlineData(Examples.BridgingSteroids, "approve", "approved")]
    [InlineData(Examples.Crisis, "approve", "approved")]
    [InlineData(Examples.Exacerbation, "approve", "approved")]
    [InlineData(Examples.OverCeiling, "deny", "pended")]
    [InlineData(Examples.PreThymectomy, "approve", "approved")]
    [InlineData(Examples.RefractoryMaintenance, "approve", "approved")]
    public async Task Every_example_is_decided_as_the_policy_says(string example, string outcome, string status)
    {
        var decision = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(example));

        Assert.Equal(outcome, (string)decision["decision"]!);
        Assert.Equal(status, (string)decision["status"]!);
    }

    [Fact]
    public async Task The_stored_case_reads_back_by_id_with_its_full_trace()
    {
        var submitted = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.OverCeiling));
        var id = (string)submitted["authorizationId"]!;

        using var response = await factory.ProviderA.GetAsync($"/v1/authorizations/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var read = (await response.JsonAsync()).AsObject();
        // The read adds what the service derives for its reader (dosing working, clock, next actions); the rest is the stored decision.
        var stored = read.DeepClone().AsObject();
        foreach (var field in MgAuth.Cases.Review.CaseAnswer.AnswerFields) stored.Remove(field);
        Assert.True(JsonNode.DeepEquals(submitted, stored), $"submitted {submitted}\nread {read}");
        var trace = read["trace"]!.AsArray();
        Assert.NotEmpty(trace);
        Assert.All(trace, t => Assert.False(string.IsNullOrEmpty((string?)t!["rule"])));
        Assert.Equal(Enumerable.Range(1, trace.Count), trace.Select(t => (int)t!["seq"]!));
        Assert.Equal("DOSE_ABOVE_COURSE_CEILING", read.Codes()[0]);
        Assert.NotNull(read["approvableAlternative"]);
    }

    [Fact]
    public async Task An_unknown_id_is_404_with_a_problem_document()
    {
        using var response = await factory.ProviderA.GetAsync("/v1/authorizations/PA-NOPE-0000000000");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_list_filters_by_member_and_status_and_pages()
    {
        var member = Examples.NewMemberId();
        var client = factory.ProviderA;
        var approved = await client.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member));
        var pended1 = await client.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member)); // overlaps the approval
        var pended2 = await client.SubmitCreatedAsync(Examples.ForMember(Examples.OverCeiling, member));

        var all = await client.GetOkAsync($"/v1/authorizations?memberId={member}");
        Assert.Equal(3, (int)all["total"]!);
        var ids = all["items"]!.AsArray().Select(i => (string)i!["authorizationId"]!).ToArray();
        Assert.Equal(new[] { approved, pended1, pended2 }.Select(d => (string)d["authorizationId"]!).Order(), ids.Order());
        Assert.All(all["items"]!.AsArray(), i => Assert.Equal(member, (string)i!["memberId"]!));

        var pended = await client.GetOkAsync($"/v1/authorizations?memberId={member}&status=pended");
        Assert.Equal(2, (int)pended["total"]!);
        Assert.All(pended["items"]!.AsArray(), i => Assert.Equal("pended", (string)i!["status"]!));

        var page1 = await client.GetOkAsync($"/v1/authorizations?memberId={member}&pageSize=2&page=1");
        var page2 = await client.GetOkAsync($"/v1/authorizations?memberId={member}&pageSize=2&page=2");
        Assert.Equal(3, (int)page1["total"]!);
        Assert.Equal(2, page1["items"]!.AsArray().Count);
        Assert.Single(page2["items"]!.AsArray());
        Assert.Equal(2, (int)page2["page"]!);
        Assert.Equal(2, (int)page2["pageSize"]!);
        var paged = page1["items"]!.AsArray().Concat(page2["items"]!.AsArray()).Select(i => (string)i!["authorizationId"]!);
        Assert.Equal(ids.Order(), paged.Order());
    }

    [Fact]
    public async Task A_list_with_a_bad_status_or_page_is_400_naming_each()
    {
        using var response = await factory.ProviderA.GetAsync("/v1/authorizations?status=maybe&page=0&pageSize=500");
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("status"));
        Assert.True(errors.ContainsKey("page"));
        Assert.True(errors.ContainsKey("pageSize"));
    }

    [Fact]
    public async Task Evaluate_decides_but_stores_nothing()
    {
        var before = factory.CountRows();
        using var response = await factory.ProviderA.PostJsonAsync("/v1/evaluate", Examples.ForNewMember(Examples.Exacerbation));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decision = (await response.JsonAsync()).AsObject();
        Assert.Equal("approve", (string)decision["decision"]!);
        Assert.False(decision.ContainsKey("authorizationId"));
        Assert.NotEmpty(decision["trace"]!.AsArray());
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public async Task Evaluate_rejects_an_invalid_request_with_400()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        request["member"]!["weightKg"] = 1000;
        using var response = await factory.Reviewer.PostJsonAsync("/v1/evaluate", request);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("member.weightKg"));
    }
}
