using System.Text;
using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>Bad FHIR gets a FHIR error naming each bad path, and nothing is stored; attacks get 4xx, never 5xx.</summary>
public sealed class FhirRejectionTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static JsonObject IvigBundle(string example = Examples.Exacerbation) => JsonNode.Parse(Json(BundleOf(Examples.ForNewMember(example))))!.AsObject();

    private static JsonObject Resource(JsonObject bundle, string type) =>
        bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).First(r => (string)r["resourceType"]! == type);

    private async Task<IReadOnlyList<string>> RejectedAsync(string body, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var before = factory.CountAll();
        using var response = await factory.ProviderA.PostFhirAsync(Submit, body);
        var paths = await response.OutcomePathsAsync(status);
        Assert.Equal(before, factory.CountAll());
        return paths;
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_named_at_Bundle() =>
        Assert.Equal(["Bundle"], await RejectedAsync("{\"resourceType\": \"Bundle\", "));

    [Fact]
    public async Task Another_resource_type_is_named_at_resourceType() =>
        Assert.Contains("resourceType", await RejectedAsync("""{"resourceType": "Patient", "birthDate": "1970-01-01"}"""));

    [Fact]
    public async Task A_Claim_that_is_not_a_preauthorization_and_has_no_focal_Coverage_is_named_at_each_path()
    {
        var bundle = IvigBundle();
        var claim = Resource(bundle, "Claim");
        claim["use"] = "claim";
        claim["insurance"]![0]!["focal"] = false;

        var paths = await RejectedAsync(bundle.ToJsonString());

        Assert.Contains("Bundle.entry[0].resource.use", paths);
        Assert.Contains("Bundle.entry[0].resource.insurance", paths);
    }

    [Fact]
    public async Task An_element_of_the_wrong_type_is_named_where_it_is()
    {
        var bundle = IvigBundle();
        Resource(bundle, "Patient")["birthDate"] = "the fifth of May";

        var paths = await RejectedAsync(bundle.ToJsonString());

        Assert.Contains(paths, p => p.EndsWith("birthDate", StringComparison.Ordinal) && p.StartsWith("Bundle.entry[", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_required_contract_field_is_named_at_the_FHIR_path_it_was_looked_for()
    {
        var bundle = IvigBundle();
        Resource(bundle, "Patient").Remove("birthDate");

        var paths = await RejectedAsync(bundle.ToJsonString());

        var patient = JsonNode.Parse(bundle.ToJsonString())!["entry"]!.AsArray().Select((e, i) => (e, i)).Single(x => (string)x.e!["resource"]!["resourceType"]! == "Patient").i;
        Assert.Equal([$"Bundle.entry[{patient}].resource.birthDate"], paths);
    }

    [Fact]
    public async Task A_body_that_is_not_FHIR_JSON_is_415()
    {
        var before = factory.CountAll();
        using var response = await factory.ProviderA.PostFhirAsync(Submit, Json(BundleOf(Examples.ForNewMember(Examples.Crisis))), "text/plain");
        await response.OutcomePathsAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, factory.CountAll());
    }

    [Fact]
    public async Task A_huge_body_is_413() =>
        await RejectedAsync("{\"resourceType\":\"Bundle\",\"id\":\"" + new string('x', 400 * 1024) + "\"}", HttpStatusCode.RequestEntityTooLarge);

    [Fact]
    public async Task A_deeply_nested_body_is_400()
    {
        var nested = string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000));
        await RejectedAsync("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":" + nested + "}");
        await RejectedAsync("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":"
                            + string.Concat(Enumerable.Repeat("{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":", 200)) + "{}"
                            + string.Concat(Enumerable.Repeat("}]}", 200)) + "}]}");
    }

    [Fact]
    public async Task Lone_surrogates_and_invalid_UTF8_are_refused_not_failed()
    {
        var bundle = IvigBundle().ToJsonString();
        foreach (var body in new[] { bundle.Replace("\"male\"", "\"\\ud800\"").Replace("\"female\"", "\"\\ud800\""), bundle.Replace("ivig-mg-standard", "\\udc00ivig") })
        {
            using var response = await factory.ProviderA.PostFhirAsync(Submit, body);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        using var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes("{\"resourceType\":\"Bundle\",\"id\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]);
        content.Headers.ContentType = new("application/fhir+json");
        using var invalid = await factory.ProviderA.PostAsync(Submit, content);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Only_provider_keys_submit_and_a_refused_caller_stores_nothing()
    {
        var body = Json(BundleOf(Examples.ForNewMember(Examples.Exacerbation)));
        var before = factory.CountAll();
        foreach (var (client, status) in new[] { (factory.Anonymous(), HttpStatusCode.Unauthorized), (factory.Reviewer, HttpStatusCode.Forbidden),
                     (factory.ClientFor(factory.Keys.Admin), HttpStatusCode.Forbidden) })
        {
            using var response = await client.PostFhirAsync(Submit, body);
            Assert.Equal(status, response.StatusCode);
        }
        Assert.Equal(before, factory.CountAll());
    }

    [Fact]
    public async Task A_provider_key_cannot_submit_for_another_organization()
    {
        // Org B names org A's NPI as the requester: the case is org B's, the key's organization, and org A never sees it.
        var request = Examples.ForNewMember(Examples.Exacerbation);
        request["provider"] = new JsonObject { ["npi"] = factory.Keys.ProviderA.Record.Npi };
        var claim = ClaimResponseOf(await factory.ProviderB.SubmitFhirOkAsync(BundleOf(request)));

        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE id = @id AND organization_id = @org",
            ("@id", claim.Id()), ("@org", TestKeys.OrgB)));
        var seen = await factory.ProviderA.InquireAsync(Inquiry(AuthorizationIdentifier(claim.Id())));
        Assert.True(seen.Count == 0, string.Join("\n", seen.Select(Json)));
        using var get = await factory.ProviderA.GetAsync($"/v1/authorizations/{claim.PreAuthRef}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }
}
