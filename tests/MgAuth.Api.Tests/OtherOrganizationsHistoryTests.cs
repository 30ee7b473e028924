using MgAuth.Cases.Authorizations;
using MgAuth.Domain.Decisions;
using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>
/// Another organization's approvals (issue 11, item 4; issue 18, item 9): /v1/evaluate answers a provider from its own
/// organization's cases only and is audited; a stored decision weighs the whole plan's history, but another
/// organization's approval near today only pends the request for the plan's review (AUTHORIZATION_HELD_ELSEWHERE), with a
/// message naming no holder and no date, the same whatever the requested dates: shifting the start date over repeated
/// submissions no longer traces that approval's dates.
/// </summary>
public sealed class OtherOrganizationsHistoryTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    // Org A's approval runs 2026-12-17 to 2027-01-15; org B asks from 2026-12-01 to 2026-12-30, so they overlap.
    private const string TheirFrom = "2026-12-17";
    private const string TheirThrough = "2027-01-15";

    private async Task<(string Member, string TheirCase)> MemberApprovedAtOrgAAsync()
    {
        var member = Examples.NewMemberId();
        var request = Examples.ForMember(Examples.Exacerbation, member);
        request["regimen"]!["startDate"] = TheirFrom;
        var approved = await factory.ProviderA.SubmitCreatedAsync(request);
        Assert.Equal("approved", (string)approved["status"]!);
        Assert.Equal(TheirThrough, (string)approved["authorized"]!["validThrough"]!);
        return (member, approved.Id());
    }

    private static void AssertNamesNothingOf(string json, string theirCase)
    {
        Assert.DoesNotContain(LegacyHeldElsewhere.Marker, json);
        Assert.DoesNotContain("another organization", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TheirFrom, json);
        Assert.DoesNotContain(TheirThrough, json);
        Assert.DoesNotContain(theirCase, json);
    }

    private static async Task<string> EvaluateAsync(HttpClient client, JsonNode request)
    {
        using var response = await client.PostJsonAsync("/v1/evaluate", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    // ---- the attack on /v1/evaluate ---------------------------------------------------------------

    [Fact]
    public async Task Evaluating_another_organizations_member_answers_as_for_a_member_without_history()
    {
        var (member, theirCase) = await MemberApprovedAtOrgAAsync();
        var stranger = Examples.NewMemberId();

        var probed = await EvaluateAsync(factory.ProviderB, Examples.ForMember(Examples.Exacerbation, member));
        var baseline = await EvaluateAsync(factory.ProviderB, Examples.ForMember(Examples.Exacerbation, stranger));

        AssertNamesNothingOf(probed, theirCase);
        Assert.DoesNotContain("OVERLAPPING_AUTHORIZATION", probed);
        Assert.Equal(baseline.Replace(stranger, member, StringComparison.Ordinal), probed);
        Assert.Equal("approve", (string)JsonNode.Parse(probed)!["decision"]!);
    }

    [Fact]
    public async Task Plan_staff_evaluate_on_the_whole_plans_history()
    {
        var (member, _) = await MemberApprovedAtOrgAAsync();

        var evaluated = JsonNode.Parse(await EvaluateAsync(factory.Reviewer, Examples.ForMember(Examples.Exacerbation, member)))!;

        Assert.Contains("AUTHORIZATION_HELD_ELSEWHERE", evaluated.Codes());
    }

    [Fact]
    public async Task Every_evaluate_is_audited_with_who_which_organization_when_and_the_outcome_and_no_member_data()
    {
        var member = Examples.NewMemberId();
        var keyId = factory.Keys.ProviderB.Record.Id;
        long Audited() => factory.ScalarLong("SELECT COUNT(*) FROM evaluations WHERE actor = @actor", ("@actor", keyId));
        var before = Audited();
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);

        await EvaluateAsync(factory.ProviderB, Examples.ForMember(Examples.Exacerbation, member));
        var invalid = Examples.ForMember(Examples.Exacerbation, member);
        invalid["regimen"]!["infusionDays"] = 99;
        using (var rejected = await factory.ProviderB.PostJsonAsync("/v1/evaluate", invalid))
            await rejected.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before + 2, Audited());
        using var connection = factory.OpenDatabase();
        using var command = MgAuthFactory.Command(connection, "SELECT * FROM evaluations WHERE actor = @actor ORDER BY id DESC LIMIT 2", ("@actor", keyId));
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        rows.Reverse();
        Assert.All(rows, r =>
        {
            Assert.Equal("provider", r["actor_role"]);
            Assert.Equal(TestKeys.OrgB, r["organization_id"]);
            Assert.InRange(DateTimeOffset.Parse((string)r["at"]!), started, DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.DoesNotContain(r.Values, v => v?.ToString()?.Contains(member, StringComparison.Ordinal) == true);
        });
        Assert.Equal(("approve", 200L), ((string)rows[0]["outcome"]!, (long)rows[0]["status"]!));
        Assert.Equal(("invalid", 400L), ((string)rows[1]["outcome"]!, (long)rows[1]["status"]!));
        Assert.ThrowsAny<System.Data.Common.DbException>(() => factory.Execute("DELETE FROM evaluations"));
    }

    // ---- stored cases: weighed plan-wide, read by the provider without the detail --------------------

    [Fact]
    public async Task A_submission_weighs_another_organizations_approval_but_its_provider_reads_no_holder_or_dates()
    {
        var (member, theirCase) = await MemberApprovedAtOrgAAsync();

        using var response = await factory.ProviderB.SubmitAsync(Examples.ForMember(Examples.Exacerbation, member));
        var submitted = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = JsonNode.Parse(submitted)!;
        Assert.Equal("pended", (string)decision["status"]!);
        Assert.Equal("review", (string)decision["decision"]!);
        Assert.DoesNotContain("OVERLAPPING_AUTHORIZATION", decision.Codes());
        var elsewhere = decision["reasons"]!.AsArray().Single(r => (string)r!["code"]! == "AUTHORIZATION_HELD_ELSEWHERE")!;
        Assert.Equal("review", (string)elsewhere["effect"]!);
        AssertNamesNothingOf(submitted, theirCase);
        var id = decision.Id();
        using (var read = await factory.ProviderB.GetAsync($"/v1/authorizations/{id}"))
            AssertNamesNothingOf(await read.Content.ReadAsStringAsync(), theirCase);
        using (var explained = await factory.ProviderB.GetAsync($"/v1/authorizations/{id}/explain"))
        {
            Assert.Equal(HttpStatusCode.OK, explained.StatusCode);
            AssertNamesNothingOf(await explained.Content.ReadAsStringAsync(), theirCase);
        }

        // The plan's staff read the case as pended for them, and find the other approval in the member's cases.
        var staff = await factory.Reviewer.GetOkAsync($"/v1/authorizations/{id}");
        Assert.Contains("AUTHORIZATION_HELD_ELSEWHERE", staff.Codes());
    }

    // The attack: varying startDate over repeated submissions traced the other organization's approval dates
    // (OVERLAPPING_AUTHORIZATION came and went, its message quoting them). Now every start date gets the same answer.
    [Fact]
    public async Task Submissions_with_shifted_start_dates_over_another_organizations_approval_get_identical_answers()
    {
        var (member, theirCase) = await MemberApprovedAtOrgAAsync();
        var answers = new List<string>();
        foreach (var start in new[] { "2026-12-09", "2026-12-16", "2026-12-18", "2027-01-14", "2027-01-20", "2027-02-20", "2027-04-30" })
        {
            var request = Examples.ForMember(Examples.Exacerbation, member);
            request["regimen"]!["startDate"] = start;
            var decision = await factory.ProviderB.SubmitCreatedAsync(request);
            AssertNamesNothingOf(decision.ToJsonString(), theirCase);
            answers.Add(string.Join("|", decision["reasons"]!.AsArray().Select(r => $"{(string)r!["code"]!}: {(string)r["message"]!}"))
                + $" => {(string)decision["decision"]!}/{(string)decision["status"]!}");
        }

        Assert.Single(answers.Distinct());
        Assert.Contains("AUTHORIZATION_HELD_ELSEWHERE", answers[0]);
        Assert.EndsWith("=> review/pended", answers[0]);
    }

    [Fact]
    public async Task An_explanation_withholds_the_dates_of_another_organizations_approval_that_did_not_overlap()
    {
        var (member, theirCase) = await MemberApprovedAtOrgAAsync();
        var later = Examples.ForMember(Examples.Exacerbation, member);
        later["regimen"]!["startDate"] = "2027-02-01";
        var decided = await factory.ProviderB.SubmitCreatedAsync(later);
        Assert.DoesNotContain("OVERLAPPING_AUTHORIZATION", decided.Codes());

        var explained = (await factory.ProviderB.GetOkAsync($"/v1/authorizations/{decided.Id()}/explain")).ToJsonString();
        var staff = (await factory.Reviewer.GetOkAsync($"/v1/authorizations/{decided.Id()}/explain")).ToJsonString();

        // The session never held their dates: neither view can show them.
        AssertNamesNothingOf(explained, theirCase);
        AssertNamesNothingOf(staff.Replace(LegacyHeldElsewhere.Marker, "", StringComparison.Ordinal), theirCase);
    }

    [Fact]
    public async Task A_supplement_a_denial_its_notice_and_the_appeal_name_nothing_of_another_organizations_approval()
    {
        var (member, theirCase) = await MemberApprovedAtOrgAAsync();
        var pended = await factory.ProviderB.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines(member));
        Assert.Equal("pended", (string)pended["status"]!);

        var supplemented = await factory.ProviderB.SupplementOkAsync(pended.Id(), Examples.BaselinesSupplement());
        Assert.Contains("AUTHORIZATION_HELD_ELSEWHERE", supplemented.Codes());
        AssertNamesNothingOf(supplemented.ToJsonString(), theirCase);

        // A clinician, having looked, denies on it: the determination quotes the engine's reason, which names nothing.
        var denied = await factory.Clinician().DetermineOkAsync(pended.Id(),
            ReviewCalls.Deny("AUTHORIZATION_HELD_ELSEWHERE", "Another authorization covers this period."));
        AssertNamesNothingOf((string)denied["determination"]!["reasonMessage"]!, theirCase);

        var read = await factory.ProviderB.GetOkAsync($"/v1/authorizations/{pended.Id()}");
        AssertNamesNothingOf(read.ToJsonString(), theirCase);
        AssertNamesNothingOf((await factory.ProviderB.GetOkAsync($"/v1/authorizations/{pended.Id()}/notice")).ToJsonString(), theirCase);
        using (var html = new HttpRequestMessage(HttpMethod.Get, $"/v1/authorizations/{pended.Id()}/notice"))
        {
            html.Headers.Accept.ParseAdd("text/html");
            using var answer = await factory.ProviderB.SendAsync(html);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            AssertNamesNothingOf(await answer.Content.ReadAsStringAsync(), theirCase);
        }
        var appeal = await factory.ProviderB.AppealOkAsync(pended.Id());
        AssertNamesNothingOf(appeal.ToJsonString(), theirCase);
    }
}
