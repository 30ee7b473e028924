using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>POST /v1/authorizations/{id}/supplements: documentation merged over a pended case, decided again, stored as a new revision.</summary>
public sealed class SupplementTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private async Task<JsonObject> PendedForBaselinesAsync(string? memberId = null)
    {
        var pended = await factory.ProviderA.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines(memberId));
        Assert.Equal("review", (string)pended["decision"]!);
        Assert.Equal("pended", (string)pended["status"]!);
        Assert.Contains("DOCUMENTATION_MISSING", pended.Codes());
        var missing = pended["missingDocumentation"]!.AsArray().Select(m => (string)m!).ToArray();
        Assert.Contains("clinical.mgAdl.baseline", missing);
        return pended;
    }

    [Fact]
    public async Task A_pended_exacerbation_missing_baselines_is_approved_when_the_baselines_arrive()
    {
        var member = Examples.NewMemberId();
        var pended = await PendedForBaselinesAsync(member);
        var id = (string)pended["authorizationId"]!;

        var supplemented = await factory.ProviderA.SupplementOkAsync(id, Examples.BaselinesSupplement());

        Assert.Equal(id, (string)supplemented["authorizationId"]!);
        Assert.Equal(2, (int)supplemented["revision"]!);
        Assert.Equal("approve", (string)supplemented["decision"]!);
        Assert.Equal("approved", (string)supplemented["status"]!);
        Assert.Contains("INDICATION_EXACERBATION_MET", supplemented.Codes());
        Assert.Empty(supplemented["missingDocumentation"]!.AsArray());
        Assert.Equal((string)pended["receivedAt"]!, (string)supplemented["receivedAt"]!);

        var read = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{id}");
        Assert.Equal(2, (int)read["revision"]!);
        Assert.Equal("approved", (string)read["status"]!);
        var listed = await factory.ProviderA.GetOkAsync($"/v1/authorizations?memberId={member}");
        var item = Assert.Single(listed["items"]!.AsArray());
        Assert.Equal("approved", (string)item!["status"]!);
    }

    [Fact]
    public async Task The_new_revision_is_stored_beside_the_old_one()
    {
        var pended = await PendedForBaselinesAsync();
        var id = (string)pended["authorizationId"]!;
        var before = factory.CountRows();

        await factory.ProviderA.SupplementOkAsync(id, Examples.BaselinesSupplement());

        Assert.Equal(before.Authorizations, factory.CountRows().Authorizations);
        Assert.Equal(before.Revisions + 1, factory.CountRows().Revisions);
        using var connection = factory.OpenDatabase();
        using var command = MgAuthFactory.Command(connection, "SELECT revision, request_json, decision_json FROM revisions WHERE authorization_id = @id ORDER BY revision", ("@id", id));
        using var reader = command.ExecuteReader();
        var revisions = new List<(long Revision, JsonNode Request, JsonNode Decision)>();
        while (reader.Read()) revisions.Add((reader.GetInt64(0), JsonNode.Parse(reader.GetString(1))!, JsonNode.Parse(reader.GetString(2))!));

        Assert.Equal([1L, 2L], revisions.Select(r => r.Revision));
        Assert.Equal("review", (string)revisions[0].Decision["decision"]!);
        Assert.Null(revisions[0].Request["clinical"]!["mgAdl"]!["baseline"]);
        Assert.Equal("approve", (string)revisions[1].Decision["decision"]!);
        Assert.Equal(6, (int)revisions[1].Request["clinical"]!["mgAdl"]!["baseline"]!);
        Assert.Equal(10, (int)revisions[1].Request["clinical"]!["mgAdl"]!["current"]!); // merged, not replaced
        Assert.Equal(11, (int)revisions[1].Request["clinical"]!["qmg"]!["baseline"]!);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE id = @id AND status = 'approved' AND revision = 2", ("@id", id)));
    }

    [Fact]
    public async Task A_supplement_that_leaves_documentation_missing_stays_pended_as_a_new_revision()
    {
        var pended = await PendedForBaselinesAsync();
        var id = (string)pended["authorizationId"]!;

        var supplemented = await factory.ProviderA.SupplementOkAsync(id,
            new JsonObject { ["clinical"] = new JsonObject { ["egfr"] = 80 } });

        Assert.Equal(2, (int)supplemented["revision"]!);
        Assert.Equal("pended", (string)supplemented["status"]!);
    }

    [Fact]
    public async Task A_case_that_is_not_pended_takes_no_supplement()
    {
        var approved = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        var before = factory.CountRows();

        using var response = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{approved["authorizationId"]}/supplements",
            Examples.BaselinesSupplement());

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public async Task An_invalid_merged_request_is_400_and_stores_nothing()
    {
        var id = (string)(await PendedForBaselinesAsync())["authorizationId"]!;
        var before = factory.CountRows();

        using var response = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{id}/supplements",
            new JsonObject { ["clinical"] = new JsonObject { ["mgAdl"] = new JsonObject { ["baseline"] = 99 } } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("clinical.mgAdl.baseline"), problem.ToJsonString());
        Assert.Equal(before, factory.CountRows());
        Assert.Equal(1, (int)(await factory.ProviderA.GetOkAsync($"/v1/authorizations/{id}"))["revision"]!);
    }

    [Fact]
    public async Task A_supplement_cannot_change_the_member()
    {
        var id = (string)(await PendedForBaselinesAsync())["authorizationId"]!;
        var before = factory.CountRows();

        using var response = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{id}/supplements",
            new JsonObject { ["member"] = new JsonObject { ["id"] = Examples.NewMemberId() } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("member.id"));
        Assert.Equal(before, factory.CountRows());
    }

    [Theory]
    [InlineData("{\"clinical\": ")]
    [InlineData("[1, 2]")]
    public async Task A_supplement_that_is_not_a_json_object_is_400_and_stores_nothing(string body)
    {
        var id = (string)(await PendedForBaselinesAsync())["authorizationId"]!;
        var before = factory.CountRows();

        using var response = await factory.ProviderA.PostAsync($"/v1/authorizations/{id}/supplements", Http.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, factory.CountRows());
    }
}
