using MgAuth.Api.Tests.Support;
using MgAuth.Fhir;
using static MgAuth.Api.Tests.Support.CrdCalls;

namespace MgAuth.Api.Tests.Crd;

/// <summary>
/// CRD reads codes with the value sets of the release in force, as Claim/$submit does: a release whose Privigen value
/// set adds a package NDC makes order-sign answer an order coded with only that NDC; under the shipped release the same
/// order is not IVIG and gets no response content. The test has a service of its own: it changes the active release.
/// </summary>
public sealed class CrdReleaseValueSetTests : IAsyncLifetime
{
    // Not a real package code: one the shipped value sets cannot know.
    private const string AddedNdc = "44206-499-99";
    private const string PrivigenFile = "valuesets/ivig-product-privigen.json";

    private readonly MgAuthFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    private static JsonObject OrderCodedByNdcOnly()
    {
        var hook = HookRequestOf(Examples.ForNewMember(Examples.Exacerbation));
        hook["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["medicationCodeableConcept"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = Systems.Ndc, ["code"] = AddedNdc }),
            ["text"] = "Privigen 10% IV solution",
        };
        return hook;
    }

    private static ReleaseFiles WithAddedNdc() => ReleaseFiles.Repository.WithPolicy(PrivigenFile, text =>
    {
        var valueSet = JsonNode.Parse(text)!.AsObject();
        var ndc = valueSet["compose"]!["include"]!.AsArray().Single(i => (string)i!["system"]! == Systems.Ndc)!;
        ndc["concept"]!.AsArray().Add(new JsonObject { ["code"] = AddedNdc, ["display"] = "Privigen 10 g/100 mL vial (a new package)" });
        return valueSet.ToJsonString();
    });

    [Fact]
    public async Task A_release_whose_product_value_set_adds_a_code_makes_CRD_answer_an_order_coded_with_it()
    {
        var shipped = await _factory.ProviderA.OrderSignOkAsync(OrderCodedByNdcOnly());
        Assert.Empty(shipped["cards"]!.AsArray());
        Assert.Empty(shipped["systemActions"]!.AsArray());

        var release = WithAddedNdc();
        await _factory.ClientFor(_factory.Keys.PolicyAuthor).PublishCreatedAsync(release, "Privigen: a new package NDC");
        await _factory.ClientFor(_factory.Keys.PolicyApprover).ActivateOkAsync(release.Sha256);

        var answer = await _factory.ProviderA.OrderSignOkAsync(OrderCodedByNdcOnly());
        var (order, information) = Updated(answer);
        Assert.Equal("covered", information.Code("covered"));
        // An NDC is not a billing code: the order carries no HCPCS, so there is none to name.
        Assert.DoesNotContain(information.Extension, e => e.Url == "billingCode");
        Assert.Equal(AddedNdc, ((Hl7.Fhir.Model.CodeableConcept)order.Medication).Coding.Single().Code);
        Assert.Single(answer["cards"]!.AsArray());
    }
}
