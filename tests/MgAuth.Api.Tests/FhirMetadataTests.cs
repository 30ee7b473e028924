using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using MgAuth.Fhir;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>GET /fhir/metadata and GET /fhir/CodeSystem/{id}: what the facade serves, readable without a key.</summary>
public sealed class FhirMetadataTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    [Fact]
    public async Task The_CapabilityStatement_lists_submit_and_inquire_on_Claim_and_the_DTR_questionnaire_package()
    {
        using var response = await factory.Anonymous().GetAsync("/fhir/metadata");
        var statement = await response.ResourceAsync<CapabilityStatement>(HttpStatusCode.OK);

        var claim = statement.Rest.Single().Resource.Single(r => r.Type == "Claim");
        Assert.Equal(["inquire", "submit"], claim.Operation.Select(o => o.Name).Order());
        Assert.Contains(claim.Operation, o => o.Definition == "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-submit");
        var questionnaire = statement.Rest.Single().Resource.Single(r => r.Type == "Questionnaire");
        Assert.Equal("http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/questionnaire-package", questionnaire.Operation.Single().Definition);
        AssertValid(statement);
    }

    [Fact]
    public async Task The_findings_CodeSystem_is_served_as_the_mapping_defines_it()
    {
        using var response = await factory.Anonymous().GetAsync("/fhir/CodeSystem/mgauth-findings");
        var served = await response.ResourceAsync<CodeSystem>(HttpStatusCode.OK);

        Assert.Equal(Json(FindingCodes.CodeSystem()), Json(served));
        AssertValid(served);
    }

    [Fact]
    public async Task Another_CodeSystem_is_404_as_an_OperationOutcome()
    {
        using var response = await factory.Anonymous().GetAsync("/fhir/CodeSystem/loinc");
        var outcome = await response.ResourceAsync<OperationOutcome>(HttpStatusCode.NotFound);
        Assert.Equal(OperationOutcome.IssueType.NotFound, outcome.Issue.Single().Code);
    }
}
