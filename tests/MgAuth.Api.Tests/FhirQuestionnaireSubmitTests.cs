using System.Net;
using System.Text.Json.Nodes;
using MgAuth.Api.Tests.Support;
using MgAuth.Domain.Requests;
using MgAuth.Fhir.Tests;
using Microsoft.Extensions.DependencyInjection;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>$submit with a DTR QuestionnaireResponse: standard codes plus the filled questionnaire decide as /v1 decides the same request.</summary>
public sealed class FhirQuestionnaireSubmitTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    public static TheoryData<string> ExampleNames() => new(Examples.All);

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public async Task Standard_codes_and_a_QuestionnaireResponse_are_decided_as_the_same_request_through_v1(string name)
    {
        var json = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(name));
        var request = RequestReader.Read(Examples.ForNewMember(name).ToJsonString(), DateOnly.FromDateTime(DateTime.UtcNow)).Request!;

        var answer = await factory.ProviderA.SubmitFhirOkAsync(DtrBundles.Write(request, DateTimeOffset.UtcNow));

        var response = ClaimResponseOf(answer);
        Assert.Equal([(string)json["x12ReviewAction"]!], response.ReviewActions());
        var stored = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{response.PreAuthRef}");
        foreach (var field in new[] { "decision", "status", "denialKind", "x12ReviewAction", "authorized", "missingDocumentation" })
            Assert.True(JsonNode.DeepEquals(json[field], stored[field]), $"{name}: {field} {json[field]} through /v1, {stored[field]} through $submit with DTR");
        Assert.Equal(json.Codes(), stored.Codes());
        AssertValid(answer);
    }
}

/// <summary>$submit of an IVIG request missing facts the contract requires: stored pended (A4) with what is missing named, never a 400.</summary>
public sealed class FhirMissingFactsTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static Hl7.Fhir.Model.Bundle WithoutQuestionnaire(string name) => WithoutQuestionnaire(name, Examples.NewMemberId());

    private static Hl7.Fhir.Model.Bundle WithoutQuestionnaire(string name, string memberId)
    {
        var request = RequestReader.Read(Examples.ForMember(name, memberId).ToJsonString(), DateOnly.FromDateTime(DateTime.UtcNow)).Request!;
        return DtrBundles.WithQuestionnaire(MgAuth.Fhir.PasRequestWriter.Write(request, DateTimeOffset.UtcNow), null);
    }

    private static readonly string[] MissingFields = ["indication", "diagnosis.mgfaClass", "regimen.infusionDays", "priorTherapies[0].outcome"];

    [Fact]
    public async Task Standard_codes_without_the_questionnaire_are_stored_pended_with_a_CommunicationRequest_naming_each_missing_fact()
    {
        var before = factory.CountAll();

        var answer = await factory.ProviderA.SubmitFhirOkAsync(WithoutQuestionnaire(Examples.Exacerbation));

        var response = ClaimResponseOf(answer);
        Assert.All(response.ReviewActions(), code => Assert.Equal("A4", code));
        Assert.Equal(before.PasRequests + 1, factory.CountAll().PasRequests);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM pas_requests WHERE id = @id AND organization_id = @org",
            ("@id", response.Id()), ("@org", TestKeys.OrgA)));
        var reference = Assert.Single(response.CommunicationRequest).Reference;
        var asked = Assert.IsType<Hl7.Fhir.Model.CommunicationRequest>(answer.Entry.Single(e => e.FullUrl == reference).Resource);
        var named = asked.Payload.Select(p => (p.Content as Hl7.Fhir.Model.FhirString)?.Value).OfType<string>().ToArray();
        foreach (var field in new[] { "indication", "diagnosis.mgfaClass", "regimen.infusionDays", "priorTherapies[0].outcome" })
            Assert.Contains(named, text => text.StartsWith(field + ":", StringComparison.Ordinal) && text.Contains(MgAuth.Fhir.DtrQuestionnaire.Url, StringComparison.Ordinal));
        Assert.Contains(asked.Payload, p => p.Content is Hl7.Fhir.Model.Attachment { Url: MgAuth.Fhir.DtrQuestionnaire.Url });
        AssertValid(answer);
    }

    [Fact]
    public async Task The_pend_is_a_case_decided_from_the_reason_naming_the_missing_fields_and_a_reviewer_sees_it_in_the_queue()
    {
        var before = factory.CountAll();

        var answer = await factory.ProviderA.SubmitFhirOkAsync(WithoutQuestionnaire(Examples.Exacerbation));

        var id = ClaimResponseOf(answer).Id();
        Assert.Equal(before.Cases.Authorizations + 1, factory.CountAll().Cases.Authorizations);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM pas_requests WHERE id = @id AND service = 'ivig'", ("@id", id)));
        var stored = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{id}");
        Assert.Equal(("review", "pended", "A4", 1), ((string)stored["decision"]!, (string)stored["status"]!, (string)stored["x12ReviewAction"]!, (int)stored["revision"]!));
        var reason = Assert.Single(stored["reasons"]!.AsArray())!;
        Assert.Equal("DOCUMENTATION_MISSING", (string)reason["code"]!);
        var missing = stored["missingDocumentation"]!.AsArray().Select(m => (string)m!).ToArray();
        Assert.Equal(missing, reason["missingDocumentation"]!.AsArray().Select(m => (string)m!).ToArray());
        foreach (var field in MissingFields) Assert.Contains(field, missing);
        // Nothing is made up for what was not sent.
        Assert.Null(stored["indication"]);
        Assert.Null(stored["requested"]);
        Assert.Null(stored["authorized"]);

        var queued = await factory.Reviewer.QueueItemAsync(id);
        Assert.NotNull(queued);
        Assert.Null(queued["indication"]);
        Assert.Equal("DOCUMENTATION_MISSING", (string)Assert.Single(queued["reasons"]!.AsArray())!["code"]!);
        var asReviewer = await factory.Reviewer.GetOkAsync($"/v1/authorizations/{id}");
        Assert.Equal(missing, asReviewer["missingDocumentation"]!.AsArray().Select(m => (string)m!).ToArray());
        var replayed = await factory.Services.GetRequiredService<MgAuth.Cases.Replay.Replayer>().ReplayAsync(id);
        Assert.Equal((1, 1), (replayed.Replayed, replayed.Identical));
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("deny")]
    public async Task A_reviewer_cannot_approve_or_deny_the_facts_never_sent_but_may_ask_for_them(string action)
    {
        var id = ClaimResponseOf(await factory.ProviderA.SubmitFhirOkAsync(WithoutQuestionnaire(Examples.Exacerbation))).Id();
        var before = factory.CountAll();
        var reviewer = action == "deny" ? factory.Clinician() : factory.Reviewer;
        var next = (await reviewer.GetOkAsync($"/v1/authorizations/{id}"))["nextActions"]!.AsArray().Select(a => a!.AsObject()).ToArray();

        using var refused = await reviewer.DetermineAsync(id, action == "deny" ? ReviewCalls.Deny("DOCUMENTATION_MISSING") : ReviewCalls.Approve(),
            await reviewer.ETagAsync(id));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["action"]);
        // The case said so beforehand, in the same words.
        var said = next.Single(a => (string)a["action"]! == action);
        Assert.False((bool)said["allowed"]!);
        Assert.Equal((string)problem["detail"]!, (string)said["reason"]!);
        Assert.True((bool)next.Single(a => (string)a["action"]! == "request_information")["allowed"]!);
        Assert.Equal("pended", (string)(await factory.ProviderA.GetOkAsync($"/v1/authorizations/{id}"))["status"]!);
        Assert.Equal(before.Cases.Authorizations, factory.CountAll().Cases.Authorizations);
        var asked = await factory.Reviewer.DetermineOkAsync(id, ReviewCalls.RequestInformation("indication"));
        Assert.Equal("pended", (string)asked["status"]!);
    }

    [Fact]
    public async Task A_Claim_update_with_the_QuestionnaireResponse_re_decides_the_same_case_to_the_decision_v1_gives()
    {
        var memberId = Examples.NewMemberId();
        var first = WithoutQuestionnaire(Examples.Exacerbation, memberId);
        var pended = ClaimResponseOf(await factory.ProviderA.SubmitFhirOkAsync(first)).Id();
        var throughV1 = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        var complete = RequestReader.Read(Examples.ForMember(Examples.Exacerbation, memberId).ToJsonString(), DateOnly.FromDateTime(DateTime.UtcNow)).Request!;
        var update = DtrBundles.Write(complete, DateTimeOffset.UtcNow);
        FhirClaimUpdateTests.ClaimOf(update).Related.Add(new Hl7.Fhir.Model.Claim.RelatedClaimComponent
        {
            Claim = new Hl7.Fhir.Model.ResourceReference { Identifier = FhirClaimUpdateTests.ClaimOf(first).Identifier[0] },
            Relationship = new Hl7.Fhir.Model.CodeableConcept("http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship", "prior"),
        });
        var before = factory.CountAll();

        var answer = await factory.ProviderA.SubmitFhirOkAsync(update);

        var response = ClaimResponseOf(answer);
        Assert.Equal(pended, response.Id());
        Assert.Empty(response.CommunicationRequest);
        var stored = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{pended}");
        Assert.Equal(2, (int)stored["revision"]!);
        foreach (var field in new[] { "decision", "status", "denialKind", "x12ReviewAction", "indication", "authorized", "missingDocumentation" })
            Assert.True(JsonNode.DeepEquals(throughV1[field], stored[field]), $"{field}: {throughV1[field]} through /v1, {stored[field]} after the update");
        Assert.Equal(throughV1.Codes(), stored.Codes());
        Assert.Equal(before.Cases.Authorizations, factory.CountAll().Cases.Authorizations);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE id = @id AND indication = 'exacerbation'", ("@id", pended)));
        Assert.Equal(2, (await factory.Services.GetRequiredService<MgAuth.Cases.Replay.Replayer>().ReplayAsync(pended)).Identical);
        AssertValid(answer);
    }

    [Fact]
    public async Task Impact_over_a_database_holding_one_skips_it_and_does_not_fail()
    {
        var id = ClaimResponseOf(await factory.ProviderA.SubmitFhirOkAsync(WithoutQuestionnaire(Examples.Exacerbation))).Id();
        var (packFolder, policiesFolder) = CeilingRelease.Files.WriteTo(Path.Combine(factory.Folder, "candidate-" + Guid.NewGuid().ToString("N")[..8]));

        var (exit, output, stderr) = await factory.MgAuthCliAsync("rules", "impact", "--candidate", packFolder, "--policies", policiesFolder, "--per-case");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{stderr}");
        Assert.Contains("skipped", output, StringComparison.Ordinal);
        Assert.DoesNotContain(id, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_incomplete_request_sent_to_v1_is_still_a_400_and_stores_nothing()
    {
        var json = Examples.ForNewMember(Examples.Exacerbation);
        json.Remove("indication");
        json["diagnosis"]!.AsObject().Remove("mgfaClass");
        var before = factory.CountAll();

        using var response = await factory.ProviderA.PostJsonAsync("/v1/authorizations", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"indication\"", body, StringComparison.Ordinal);
        Assert.Contains("\"diagnosis.mgfaClass\"", body, StringComparison.Ordinal);
        Assert.Equal(before, factory.CountAll());
    }

    [Fact]
    public async Task A_bad_value_is_still_a_400_and_a_request_without_its_member_is_never_pended()
    {
        var bad = WithoutQuestionnaire(Examples.Exacerbation);
        var order = bad.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.MedicationRequest>().First(m => m.Intent == Hl7.Fhir.Model.MedicationRequest.MedicationRequestIntent.Order);
        order.DosageInstruction[0].DoseAndRate[0].Dose = new Hl7.Fhir.Model.Quantity { Value = 30, Code = "mL", System = "http://unitsofmeasure.org" };
        var anonymous = WithoutQuestionnaire(Examples.Exacerbation);
        var patient = anonymous.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Patient>().Single();
        patient.BirthDate = null;
        var before = factory.CountAll();

        using var badValue = await factory.ProviderA.PostFhirAsync(Submit, Json(bad));
        using var noMember = await factory.ProviderA.PostFhirAsync(Submit, Json(anonymous));

        Assert.Equal(HttpStatusCode.BadRequest, badValue.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noMember.StatusCode);
        Assert.Equal(before.PasRequests, factory.CountAll().PasRequests);
    }
}
