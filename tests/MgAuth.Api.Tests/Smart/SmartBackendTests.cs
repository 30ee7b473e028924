using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Smart;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests.Smart;

/// <summary>SMART Backend Services: a provider's system gets a token with a signed assertion and submits a PAS Bundle with it.</summary>
public sealed class SmartBackendTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    [Theory]
    [InlineData("RS384")]
    [InlineData("ES384")]
    public async Task A_client_with_a_registered_key_gets_a_token_and_submits_a_PAS_Bundle(string algorithm)
    {
        var system = (algorithm == "RS384" ? SmartSystem.Rs384() : SmartSystem.Es384()).RegisterWith(factory, TestKeys.OrgA, "1234567893");

        using var response = await SmartSystem.RequestTokenAsync(factory.Anonymous(), system.Assertion());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var token = JsonNode.Parse(text)!;
        Assert.Equal("Bearer", (string)token["token_type"]!, ignoreCase: true);
        Assert.InRange((int)token["expires_in"]!, 1, 300);

        var answer = await factory.ClientWithSecret((string)token["access_token"]!).SubmitFhirOkAsync(BundleOf(Examples.ForNewMember(Examples.Exacerbation)));

        var claimResponse = Assert.IsType<ClaimResponse>(answer.Entry[0].Resource);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE id = @id AND organization_id = @org",
            ("@id", claimResponse.Id()), ("@org", TestKeys.OrgA)));
    }

    [Fact]
    public async Task The_smart_configuration_names_the_token_endpoint_client_credentials_private_key_jwt_and_the_system_scopes()
    {
        using var response = await factory.Anonymous().GetAsync("/.well-known/smart-configuration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(SmartSystem.TokenUrl, (string)document["token_endpoint"]!);
        Assert.Equal(["client_credentials"], Strings(document["grant_types_supported"]));
        Assert.Equal(["private_key_jwt"], Strings(document["token_endpoint_auth_methods_supported"]));
        Assert.Equal(["RS384", "ES384"], Strings(document["token_endpoint_auth_signing_alg_values_supported"]));
        Assert.Equal(["client-confidential-asymmetric"], Strings(document["capabilities"]));
        Assert.Equal(SmartScopes.All, Strings(document["scopes_supported"]));
        Assert.Contains(SmartScopes.ClaimWrite, Strings(document["scopes_supported"]));
    }

    [Fact]
    public async Task The_token_carries_the_clients_organization_npi_and_name_as_the_person_and_only_the_scopes_both_asked_and_registered()
    {
        var system = SmartSystem.Rs384().RegisterWith(factory, TestKeys.OrgA, "1234567893", SmartScopes.ClaimWrite, SmartScopes.ClaimRead);

        using var response = await SmartSystem.RequestTokenAsync(factory.Anonymous(), system.Assertion(),
            $"{SmartScopes.ClaimWrite} {SmartScopes.SubscriptionWrite}");
        var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var claims = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken((string)token["access_token"]!);
        Assert.Equal(system.ClientId, claims.Subject);
        Assert.Equal(TestKeys.OrgA, claims.GetClaim("org").Value);
        Assert.Equal("1234567893", claims.GetClaim("npi").Value);
        Assert.Equal("provider", claims.GetClaim("roles").Value);
        Assert.Equal($"{TestKeys.OrgA} EHR", claims.GetClaim("name").Value);
        Assert.Equal(SmartScopes.ClaimWrite, claims.GetClaim("scope").Value);
        Assert.InRange(claims.ValidTo - claims.IssuedAt, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_token_without_Claim_write_cannot_submit_but_reads_its_own_cases()
    {
        var writer = await SmartSystem.Es384().RegisterWith(factory, TestKeys.OrgA).TokenAsync(factory, SmartScopes.ClaimWrite);
        var reader = await SmartSystem.Es384().RegisterWith(factory, TestKeys.OrgA).TokenAsync(factory, SmartScopes.ClaimRead);
        var created = await factory.ClientWithSecret(writer).SubmitCreatedAsync(Examples.ForNewMember(Examples.Crisis));
        var before = factory.CountRows().Authorizations;

        using var submit = await factory.ClientWithSecret(reader).PostFhirAsync(Submit, Json(BundleOf(Examples.ForNewMember(Examples.Exacerbation))));
        using var read = await factory.ClientWithSecret(reader).GetAsync($"/v1/authorizations/{created["authorizationId"]}");
        using var readWithWriter = await factory.ClientWithSecret(writer).GetAsync($"/v1/authorizations/{created["authorizationId"]}");

        Assert.Equal(HttpStatusCode.Forbidden, submit.StatusCode);
        Assert.Contains(SmartScopes.ClaimWrite, await submit.Content.ReadAsStringAsync());
        Assert.Equal(before, factory.CountRows().Authorizations);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readWithWriter.StatusCode);
    }

    [Fact]
    public async Task Another_organizations_token_sees_nothing_of_its_cases()
    {
        var mine = await SmartSystem.Rs384().RegisterWith(factory, TestKeys.OrgA).TokenAsync(factory);
        var theirs = await SmartSystem.Rs384().RegisterWith(factory, TestKeys.OrgB).TokenAsync(factory);
        var created = await factory.ClientWithSecret(mine).SubmitCreatedAsync(Examples.ForNewMember(Examples.Crisis));

        using var read = await factory.ClientWithSecret(theirs).GetAsync($"/v1/authorizations/{created["authorizationId"]}");
        var list = await factory.ClientWithSecret(theirs).GetOkAsync("/v1/authorizations");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.DoesNotContain((string)created["authorizationId"]!, list.ToJsonString());
    }

    [Fact]
    public async Task A_token_works_only_where_a_scope_names_the_endpoint_not_on_staff_endpoints()
    {
        var token = await SmartSystem.Rs384().RegisterWith(factory, TestKeys.OrgA).TokenAsync(factory);

        using var queue = await factory.ClientWithSecret(token).GetAsync("/v1/review-queue");
        using var metrics = await factory.ClientWithSecret(token).GetAsync("/v1/metrics/prior-auth");

        Assert.Equal(HttpStatusCode.Forbidden, queue.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => (string)n!)];
}
