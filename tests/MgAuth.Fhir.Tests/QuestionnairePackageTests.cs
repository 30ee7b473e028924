using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

using static MgAuth.Fhir.Tests.QuestionnaireInputs;

namespace MgAuth.Fhir.Tests;

/// <summary>DTR $questionnaire-package: the package for an IVIG order, valid against DTR's output profiles; other orders and bad input.</summary>
public class QuestionnairePackageTests
{
    private const string Dtr = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly FhirJsonSerializer Serializer = new();

    private static Parameters Package(string json)
    {
        var answer = QuestionnairePackage.Answer(json, ValueSets.Shipped, Now);
        Assert.True(answer.Package is not null, string.Join("; ", answer.Problems));
        return answer.Package!;
    }

    [Fact]
    public void The_package_for_an_IVIG_order_validates_against_the_DTR_output_profiles()
    {
        var output = Package(Input(("coverage", Coverage()), ("order", IvigOrder())));

        var errors = FhirValidation.Errors(output, Dtr + "dtr-qpackage-output-parameters");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var bundle = Assert.IsType<Bundle>(Assert.Single(output.Parameter, p => p.Name == "PackageBundle").Resource);
        errors = FhirValidation.Errors(bundle, Dtr + "DTR-QPackageBundle");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        foreach (var entry in bundle.Entry)
        {
            errors = FhirValidation.Errors(entry.Resource!);
            Assert.True(errors.Count == 0, entry.Resource!.TypeName + ":\n" + string.Join("\n", errors));
        }
    }

    [Fact]
    public void The_bundle_holds_the_questionnaire_first_then_every_value_set_it_names_expanded_and_a_draft_response_for_the_order()
    {
        var bundle = (Bundle)Package(Input(("coverage", Coverage()), ("order", IvigOrder()))).Parameter[0].Resource!;

        var questionnaire = Assert.IsType<Questionnaire>(bundle.Entry[0].Resource);
        var named = Items(questionnaire.Item).Where(i => i.AnswerValueSet is not null).Select(i => i.AnswerValueSet!).ToHashSet();
        var shipped = bundle.Entry.Select(e => e.Resource).OfType<ValueSet>().ToArray();
        Assert.Equal(named.Order(), shipped.Select(v => v.Url + "|" + v.Version).Order());
        Assert.All(shipped, v => Assert.NotEmpty(v.Expansion!.Contains));
        var draft = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>());
        Assert.Equal(DtrQuestionnaire.Canonical, draft.Questionnaire);
        Assert.Equal(["Coverage/cov1", "MedicationRequest/order1"],
            draft.Extension.Where(e => e.Url == Dtr + "qr-context").Select(e => ((ResourceReference)e.Value!).Reference));
        var answered = Items(draft.Item).ToDictionary(i => i.LinkId!, i => i.Answer.SingleOrDefault()?.Value);
        Assert.Equal("indication-exacerbation", ((Coding)answered["indication"]!).Code);
        Assert.Equal(5, ((Integer)answered["regimen.infusionDays"]!).Value);
    }

    [Fact]
    public void Every_question_carries_a_code_standard_where_the_release_has_one_else_a_findings_code_that_the_code_system_defines()
    {
        var questionnaire = DtrQuestionnaire.Build(ValueSets.Shipped, Now);
        var defined = FindingCodes.CodeSystem().Concept.Select(c => c.Code).ToHashSet();

        foreach (var item in Items(questionnaire.Item).Where(i => i.Type != Questionnaire.QuestionnaireItemType.Group))
        {
            Assert.NotEmpty(item.Code);
            Assert.All(item.Code.Where(c => c.System == FindingCodes.System), c => Assert.Contains(c.Code, defined));
        }
        Assert.Equal(["29463-7"], Item(questionnaire, "member.weightKg").Code.Select(c => c.Code));
        Assert.Contains(Item(questionnaire, "diagnosis.achrAntibody").Code, c => c.System == "http://loinc.org" && c.Code == "11034-6");
        var initial = (Expression)Item(questionnaire, "member.weightKg").GetExtension("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression")!.Value!;
        Assert.StartsWith("%weight.", initial.Expression_, StringComparison.Ordinal);
        var weight = questionnaire.Extension.Select(e => e.Value).OfType<Expression>().Single(e => e.Name == "weight");
        Assert.Contains("http://loinc.org|29463-7", weight.Expression_, StringComparison.Ordinal);
    }

    [Fact]
    public void MG_ADL_asks_its_eight_items_zero_to_three_and_computes_the_total()
    {
        var questionnaire = DtrQuestionnaire.Build(ValueSets.Shipped, Now);

        var group = Item(questionnaire, "clinical.mgAdl");
        var scored = group.Item.Where(i => i.LinkId != "clinical.mgAdl.current" && i.LinkId != "clinical.mgAdl.baseline").ToArray();
        Assert.Equal(8, scored.Length);
        Assert.All(scored, i => Assert.Equal(3, ((Integer)i.GetExtension("http://hl7.org/fhir/StructureDefinition/maxValue")!.Value!).Value));
        var total = Item(questionnaire, "clinical.mgAdl.current");
        Assert.True(total.ReadOnly);
        var calculated = (Expression)total.GetExtension("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression")!.Value!;
        Assert.All(scored, i => Assert.Contains($"'{i.LinkId}'", calculated.Expression_, StringComparison.Ordinal));
    }

    [Fact]
    public void An_order_for_another_service_gets_an_OperationOutcome_saying_there_is_no_questionnaire()
    {
        var other = IvigOrder("http://www.nlm.nih.gov/research/umls/rxnorm", "197361");

        var answer = QuestionnairePackage.Answer(Input(("coverage", Coverage()), ("order", other)), ValueSets.Shipped, Now);

        Assert.Null(answer.Package);
        Assert.Empty(answer.Problems);
        var issue = Assert.Single(answer.NoQuestionnaire!.Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Warning, issue.Severity);
        Assert.Equal(OperationOutcome.IssueType.NotFound, issue.Code);
        var errors = FhirValidation.Errors(answer.NoQuestionnaire);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void A_ServiceRequest_billed_as_IVIG_gets_the_questionnaire()
    {
        var order = new ServiceRequest
        {
            Id = "sr1",
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Order,
            Subject = new ResourceReference("Patient/p1"),
            Code = new CodeableConcept("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "J1459"),
        };

        var bundle = (Bundle)Package(Input(("coverage", Coverage()), ("order", order))).Parameter[0].Resource!;

        Assert.IsType<Questionnaire>(bundle.Entry[0].Resource);
    }

    public static TheoryData<string, string> Attacks() => new()
    {
        { "not json", "Parameters" },
        { Serializer.SerializeToString(new Patient()), "resourceType" },
        { Input(("order", IvigOrder())), "Parameters.parameter" },
        { Input(("coverage", new Patient { Id = "x" }), ("order", IvigOrder())), "Parameters.parameter[0].resource" },
        { Input(("coverage", new Coverage { Status = FinancialResourceStatusCodes.Cancelled, Beneficiary = new("Patient/p1"), Payor = [new("Organization/o")] }), ("order", IvigOrder())), "Parameters.parameter[0].resource" },
        { Input(("coverage", new Coverage { Status = FinancialResourceStatusCodes.Active, Payor = [new("Organization/o")] }), ("order", IvigOrder())), "Parameters.parameter[0].resource.beneficiary" },
        { Input(("coverage", Coverage())), "Parameters.parameter" },
        { Input(("coverage", Coverage()), ("orders", IvigOrder())), "Parameters.parameter[1].name" },
        { Input([("coverage", Coverage()), .. Enumerable.Repeat(("order", (Resource)IvigOrder()), QuestionnairePackage.MaxParameters)]), "Parameters.parameter" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Input_it_cannot_use_is_a_problem_naming_where(string json, string path)
    {
        var answer = QuestionnairePackage.Answer(json, ValueSets.Shipped, Now);

        Assert.Null(answer.Package);
        Assert.Contains(answer.Problems, p => p.Path == path);
    }

    private static Questionnaire.ItemComponent Item(Questionnaire questionnaire, string linkId) => Items(questionnaire.Item).Single(i => i.LinkId == linkId);

    private static IEnumerable<Questionnaire.ItemComponent> Items(IEnumerable<Questionnaire.ItemComponent> items) =>
        items.SelectMany(i => (IEnumerable<Questionnaire.ItemComponent>)[i, .. Items(i.Item)]);

    private static IEnumerable<QuestionnaireResponse.ItemComponent> Items(IEnumerable<QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => (IEnumerable<QuestionnaireResponse.ItemComponent>)[i, .. Items(i.Item)]);
}
