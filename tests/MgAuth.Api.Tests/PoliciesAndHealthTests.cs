using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>The published criteria, the probes, and the OpenAPI document.</summary>
public sealed class PoliciesAndHealthTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    [Fact]
    public async Task The_policies_list_names_every_active_policy_and_the_default()
    {
        using var response = await factory.ProviderA.GetAsync("/v1/policies");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policies = (await response.JsonAsync()).AsArray();

        Assert.Equal(["ivig-mg-restrictive", "ivig-mg-standard"], policies.Select(p => (string)p!["id"]!));
        Assert.Equal("ivig-mg-standard", policies.Single(p => (bool)p!["isDefault"]!)!["id"]!.ToString());
        Assert.All(policies, p =>
        {
            Assert.False(string.IsNullOrEmpty((string?)p!["version"]));
            Assert.Equal(64, ((string)p["sha256"]!).Length);
            Assert.Equal("ivig-mg", (string)p["rulePack"]!["id"]!);
        });
    }

    [Fact]
    public async Task A_policy_reads_with_its_criteria_parameters_and_rules()
    {
        var policy = await factory.ClientFor(factory.Keys.PolicyAuthor).GetOkAsync("/v1/policies/ivig-mg-standard");

        Assert.Equal("ivig-mg-standard", (string)policy["policy"]!["id"]!);
        var criteria = policy["criteria"]!.AsArray();
        Assert.Contains(criteria, c => (string)c!["code"]! == "OVERLAPPING_AUTHORIZATION");
        Assert.Contains(criteria, c => (string)c!["code"]! == "DOSE_ABOVE_COURSE_CEILING");
        Assert.All(criteria, c => Assert.False(string.IsNullOrEmpty((string?)c!["policyRef"])));
        Assert.NotEmpty(policy["rules"]!.AsArray());
        Assert.NotNull(policy["parameters"]);
    }

    [Fact]
    public async Task An_unknown_policy_is_404_with_a_problem_document()
    {
        using var response = await factory.ProviderA.GetAsync("/v1/policies/no-such-policy");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Liveness_answers_without_a_key()
    {
        using var response = await factory.Anonymous().GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("live", (string)(await response.JsonAsync())["status"]!);
    }

    [Fact]
    public async Task Readiness_reports_the_database_and_the_rule_pack()
    {
        using var response = await factory.Anonymous().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        Assert.Equal("ready", (string)report["status"]!);
        Assert.Equal("ok", (string)report["checks"]!["database"]!);
        Assert.StartsWith("ivig-mg ", (string)report["checks"]!["rulePack"]!);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        using var response = await factory.Anonymous().GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.JsonAsync();

        Assert.StartsWith("3.", (string)document["openapi"]!);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToArray();
        string[] expected = ["/v1/authorizations", "/v1/authorizations/{id}", "/v1/authorizations/{id}/supplements", "/v1/evaluate",
            "/v1/policies", "/v1/policies/{id}", "/v1/metrics/prior-auth", "/health/live", "/health/ready"];
        Assert.All(expected, path => Assert.Contains(path, paths));
        Assert.NotNull(document["paths"]!["/v1/authorizations"]!["post"]);
        Assert.NotNull(document["components"]!["securitySchemes"]!["ApiKey"]);
    }

    [Fact]
    public async Task The_swagger_ui_is_served()
    {
        using var response = await factory.Anonymous().GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_address_is_404_with_a_problem_document()
    {
        using var response = await factory.ProviderA.GetAsync("/v1/nothing-here");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
