using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using MgAuth.Fhir.Tests;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>
/// The Da Vinci PAS test kit's server checks (v2.2.1) that are about the endpoint, replayed through POST
/// /fhir/Claim/$submit, each named after the kit test: the workflow submissions answered 2xx with a Bundle, the answer
/// conformant to PAS (PasKit: the kit's bundle validation) and carrying the workflow's decision code, and a
/// nonconformant Bundle refused with an OperationOutcome.
/// </summary>
public sealed class PasServerHttpChecks(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private async Task<Bundle> SubmitAsync(JsonObject request)
    {
        var answer = await factory.ProviderA.SubmitFhirOkAsync(BundleOf(request));
        var errors = PasKit.SubmitResponseErrors(answer);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        return answer;
    }

    [Fact]
    public async Task pas_v221_claim_submit_operation_test_approval()
    {
        var answer = await SubmitAsync(Examples.ForNewMember("exacerbation"));

        Assert.Equal(["A1"], ClaimResponseOf(answer).ReviewActions());
    }

    [Fact]
    public async Task pas_v221_claim_submit_operation_test_denial()
    {
        var request = Examples.ForNewMember("exacerbation");
        request["diagnosis"]!["icd10"] = "G61.0";

        var answer = await SubmitAsync(request);

        Assert.Equal(["A3"], ClaimResponseOf(answer).ReviewActions());
    }

    [Fact]
    public async Task pas_v221_claim_submit_operation_test_pended()
    {
        var answer = await SubmitAsync(Examples.ExacerbationMissingBaselines());

        Assert.Equal(["A4"], ClaimResponseOf(answer).ReviewActions());
    }

    /// <summary>$inquire answers a Parameters whose return Bundle is a conformant PAS inquiry response.</summary>
    [Fact]
    public async Task pas_server_v221_inquire_response_bundle_validation_test_must_support()
    {
        var submitted = ClaimResponseOf(await SubmitAsync(Examples.ForNewMember("exacerbation")));

        var answer = Assert.Single(await factory.ProviderA.InquireAsync(Inquiry(AuthorizationIdentifier(submitted.Id()))));

        var errors = PasKit.InquireResponseErrors(answer);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    /// <summary>The guide's own request Bundles, answered (never 400) with a conformant response.</summary>
    [Theory]
    [MemberData(nameof(FhirSubmitTests.PackageExamples), MemberType = typeof(FhirSubmitTests))]
    public async Task pas_server_v221_pas_response_bundle_validation_test_guide_example(string file)
    {
        var answer = await factory.ProviderA.SubmitFhirOkAsync(GuideExample(file));

        var errors = PasKit.SubmitResponseErrors(answer);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    /// <summary>The kit posts a PAS request Bundle with no entries: a Bundle that cannot be processed is an OperationOutcome.</summary>
    [Fact]
    public async Task pas_server_v221_prior_auth_submission_error()
    {
        var empty = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["meta"] = new JsonObject { ["profile"] = new JsonArray("http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-pas-request-bundle") },
            ["identifier"] = new JsonObject { ["system"] = "http://example.org/SUBMITTER_TRANSACTION_IDENTIFIER", ["value"] = "A12345" },
            ["type"] = "collection",
            ["timestamp"] = "2026-11-22T11:01:00+05:00",
            ["entry"] = new JsonArray(),
        };

        using var response = await factory.ProviderA.PostFhirAsync(Submit, empty.ToJsonString());

        Assert.False(response.IsSuccessStatusCode);
        Assert.NotEmpty(await response.OutcomePathsAsync(HttpStatusCode.BadRequest));
    }
}
