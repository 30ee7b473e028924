using System.Text.Json.Nodes;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>$submit reads a QuestionnaireResponse to the DTR questionnaire in supportingInfo into the contract fields.</summary>
public class QuestionnaireResponseReadingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    private static PasSubmission Read(Bundle bundle) => PasRequestReader.Read(Fhir.Json(bundle), ValueSets.Shipped);

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Standard_codes_and_the_filled_questionnaire_read_as_the_same_request(string name)
    {
        var request = Examples.Request(name);

        var submission = Read(DtrBundles.Write(request, Now));

        Assert.True(submission.Kind == SubmissionKind.Ivig, string.Join("; ", submission.Problems));
        var expected = Examples.Canonical(request);
        var actual = Examples.Canonical(Examples.Read(submission.Request!.ToJsonString()));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected}\nactual   {actual}");
    }

    [Fact]
    public void Without_the_questionnaire_the_facts_it_carries_are_absent_not_invented()
    {
        var bundle = DtrBundles.WithQuestionnaire(PasRequestWriter.Write(Examples.Request("exacerbation"), Now), null);

        var submission = Read(bundle);

        Assert.Equal(SubmissionKind.Ivig, submission.Kind);
        Assert.Null(submission.Request!["indication"]);
        Assert.Null(submission.Request["diagnosis"]?["mgfaClass"]);
        Assert.Null(submission.Request["regimen"]?["infusionDays"]);
        Assert.NotNull(submission.Request["member"]?["weightKg"]);
    }

    [Fact]
    public void The_MG_ADL_total_is_the_sum_of_its_eight_items_and_a_total_that_disagrees_is_a_problem_at_the_answer()
    {
        var request = Examples.Request("exacerbation");
        var bundle = DtrBundles.Write(request, Now);
        var answers = bundle.Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>().Single();
        var total = Items(answers.Item).Single(i => i.LinkId == "clinical.mgAdl.current");

        total.Answer[0].Value = new Integer(request.Clinical.MgAdl!.Current!.Value + 1);
        var disagreeing = Read(bundle);
        answers.Item.ForEach(g => g.Item.RemoveAll(i => i.LinkId == "clinical.mgAdl.current"));
        var itemsOnly = Read(bundle);

        Assert.Equal(SubmissionKind.Invalid, disagreeing.Kind);
        Assert.Contains(disagreeing.Problems, p => p.Path.EndsWith("where(linkId = 'clinical.mgAdl.current').answer", StringComparison.Ordinal));
        Assert.Equal(request.Clinical.MgAdl.Current, (int?)itemsOnly.Request!["clinical"]!["mgAdl"]!["current"]);
    }

    [Fact]
    public void A_response_to_another_questionnaire_is_passed_over_and_never_crashes()
    {
        var request = Examples.Request("exacerbation");
        var bundle = DtrBundles.Write(request, Now);
        var answers = bundle.Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>().Single();
        answers.Questionnaire = "http://example.org/Questionnaire/home-o2|1.0";
        answers.Item.Add(new QuestionnaireResponse.ItemComponent { LinkId = "indication", Answer = [new() { Value = new FhirString("?") }] });

        var submission = Read(bundle);

        Assert.Equal(SubmissionKind.Ivig, submission.Kind);
        Assert.Null(submission.Request!["indication"]);
    }

    [Fact]
    public void What_the_resources_say_wins_over_an_answer_and_an_answer_of_the_wrong_type_is_a_problem_naming_it()
    {
        var request = Examples.Request("exacerbation");
        var bundle = PasRequestWriter.Write(request, Now);
        var patient = ((Claim)bundle.Entry[0].Resource!).Patient;
        var answers = QuestionnaireResponseWriter.Write(request with { Member = request.Member with { WeightKg = 150m } }, patient, Now, ValueSets.Shipped);
        DtrBundles.WithQuestionnaire(bundle, answers);
        var kept = Read(bundle);

        Items(answers.Item).Single(i => i.LinkId == "diagnosis.mgfaClass").Answer[0].Value = new FhirString("IIIb");
        var wrong = Read(bundle);

        Assert.Equal(request.Member.WeightKg, (decimal)kept.Request!["member"]!["weightKg"]!);
        Assert.Equal(SubmissionKind.Invalid, wrong.Kind);
        Assert.Contains(wrong.Problems, p => p.Path.EndsWith("where(linkId = 'diagnosis.mgfaClass').answer", StringComparison.Ordinal)
                                             && p.Message.StartsWith("diagnosis.mgfaClass", StringComparison.Ordinal));
    }

    private static IEnumerable<QuestionnaireResponse.ItemComponent> Items(IEnumerable<QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => (IEnumerable<QuestionnaireResponse.ItemComponent>)[i, .. Items(i.Item)]);
}
