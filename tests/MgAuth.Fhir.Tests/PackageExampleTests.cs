using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>The PAS guide's own request Bundles (none is for IVIG) read as services no MgAuth policy decides.</summary>
public class PackageExampleTests
{
    public static TheoryData<string> Bundles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(FhirValidation.PackageFolder, "examples"), "Bundle-*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void The_guide_s_five_submit_examples_are_here()
    {
        Assert.Equal(5, Bundles().Count);
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void A_guide_example_parses_and_is_another_service_to_pend_for_manual_review(string file)
    {
        var submission = PasRequestReader.Read(File.ReadAllText(Path.Combine(FhirValidation.PackageFolder, "examples", file)), ValueSets.Shipped);

        Assert.True(submission.Kind == SubmissionKind.OtherService, string.Join("; ", submission.Problems));
        Assert.Null(submission.Request);
        Assert.NotEmpty(submission.Services);
        Assert.DoesNotContain(submission.Services, s => IvigProducts.Codes(ValueSets.Shipped).Any(code => s.EndsWith("|" + code, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void A_guide_example_gets_a_valid_response_pending_every_item(string file)
    {
        var bundle = PasRequestReader.Read(File.ReadAllText(Path.Combine(FhirValidation.PackageFolder, "examples", file)), ValueSets.Shipped).Bundle!;

        var response = PasResponseWriter.WriteManualReview(bundle, "PA-TEST-0002", new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

        var claimResponse = Assert.IsType<ClaimResponse>(response.Entry[0].Resource);
        Assert.Equal(Assert.IsType<Claim>(bundle.Entry[0].Resource).Item.Select(i => i.Sequence), claimResponse.Item.Select(i => i.ItemSequence));
        Assert.All(claimResponse.Item, item =>
        {
            var action = item.Adjudication[0].GetExtension(PasExtensions.ReviewAction)!;
            var code = Assert.IsType<CodeableConcept>(action.GetExtension(PasExtensions.ReviewActionCode)!.Value);
            Assert.Equal("A4", code.Coding[0].Code);
        });
        // The ClaimResponse is the facade's; the guide's resources echoed beside it claim PAS profiles built on US Core.
        var errors = FhirValidation.Errors(claimResponse);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
