using System.Net;
using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Smart;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Smart;
using static MgAuth.Api.Tests.Support.FhirCalls;
using static MgAuth.Fhir.Tests.QuestionnaireInputs;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>POST /fhir/Questionnaire/$questionnaire-package over HTTP: who may ask, what an IVIG order gets, what bad input gets.</summary>
public sealed class FhirQuestionnairePackageTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private const string Package = "/fhir/Questionnaire/$questionnaire-package";

    [Fact]
    public async Task A_provider_gets_the_DTR_package_for_an_IVIG_order()
    {
        using var response = await factory.ProviderA.PostFhirAsync(Package, Input(("coverage", Coverage()), ("order", IvigOrder())));

        var output = await response.ResourceAsync<Parameters>(HttpStatusCode.OK);
        var bundle = Assert.IsType<Bundle>(Assert.Single(output.Parameter).Resource);
        Assert.Equal(MgAuth.Fhir.DtrQuestionnaire.Url, Assert.IsType<Questionnaire>(bundle.Entry[0].Resource).Url);
        var errors = MgAuth.Fhir.Tests.FhirValidation.Errors(output, "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-qpackage-output-parameters");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task A_SMART_client_with_Claim_write_may_ask_one_with_only_Claim_read_may_not()
    {
        var writer = await SmartSystem.Es384().RegisterWith(factory, TestKeys.OrgA).TokenAsync(factory, SmartScopes.ClaimWrite);
        var reader = await SmartSystem.Es384().RegisterWith(factory, TestKeys.OrgA).TokenAsync(factory, SmartScopes.ClaimRead);
        var input = Input(("coverage", Coverage()), ("order", IvigOrder()));

        using var written = await factory.ClientWithSecret(writer).PostFhirAsync(Package, input);
        using var read = await factory.ClientWithSecret(reader).PostFhirAsync(Package, input);

        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Contains(SmartScopes.ClaimWrite, await read.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Nobody_but_a_provider_may_ask()
    {
        var input = Input(("coverage", Coverage()), ("order", IvigOrder()));

        using var anonymous = await factory.Anonymous().PostFhirAsync(Package, input);
        using var reviewer = await factory.Reviewer.PostFhirAsync(Package, input);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reviewer.StatusCode);
    }

    [Fact]
    public async Task An_order_for_another_service_is_answered_with_an_OperationOutcome_not_an_error()
    {
        var other = IvigOrder("http://www.nlm.nih.gov/research/umls/rxnorm", "197361");

        using var response = await factory.ProviderA.PostFhirAsync(Package, Input(("coverage", Coverage()), ("order", other)));

        var outcome = await response.ResourceAsync<OperationOutcome>(HttpStatusCode.OK);
        Assert.Equal(OperationOutcome.IssueSeverity.Warning, Assert.Single(outcome.Issue).Severity);
    }

    [Fact]
    public async Task An_attackers_input_is_a_400_naming_the_parameter_and_a_huge_body_is_refused_before_it_is_read()
    {
        var cancelled = new Coverage { Status = FinancialResourceStatusCodes.Cancelled, Beneficiary = new("Patient/p1"), Payor = [new("Organization/o")] };
        var many = Input([("coverage", Coverage()), .. Enumerable.Repeat(("order", (Resource)IvigOrder()), MgAuth.Fhir.QuestionnairePackage.MaxParameters)]);

        using var unknown = await factory.ProviderA.PostFhirAsync(Package, Input(("coverage", cancelled), ("order", IvigOrder())));
        using var tooMany = await factory.ProviderA.PostFhirAsync(Package, many);
        using var huge = await factory.ProviderA.PostFhirAsync(Package, "{\"resourceType\":\"Parameters\",\"id\":\"" + new string('a', 1024 * 1024) + "\"}");

        Assert.Equal(["Parameters.parameter[0].resource"], await unknown.OutcomePathsAsync(HttpStatusCode.BadRequest));
        Assert.Equal(["Parameters.parameter"], await tooMany.OutcomePathsAsync(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }
}
