using R4 = Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Security;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using static MgAuth.Api.Tests.Support.CrdCalls;

namespace MgAuth.Api.Tests;

/// <summary>
/// Da Vinci CRD order-sign (issue 13, item 6): discovery; the coverage information on the draft IVIG order says what
/// /v1/evaluate decides for the same request, names exactly the documentation the rules would still ask for, and is
/// valid R4; decided without storing (one evaluations row), on the caller's organization's history, with evaluate's keys.
/// </summary>
public sealed class CrdHookTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    public static TheoryData<string> ExampleNames() => new(Examples.All);

    private long Evaluations() => factory.ScalarLong("SELECT COUNT(*) FROM evaluations");

    private static async Task<JsonObject> EvaluateAsync(HttpClient client, JsonNode request)
    {
        using var response = await client.PostJsonAsync("/v1/evaluate", request);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        return json.AsObject();
    }

    private static string Covered(JsonNode decision) => (string)decision["decision"]! switch
    {
        "approve" => "covered",
        "deny" => "not-covered",
        _ => "conditional",
    };

    [Fact]
    public async Task Discovery_lists_the_order_sign_service_and_its_prefetch()
    {
        var discovery = await factory.Anonymous().GetOkAsync(Discovery);

        var service = Assert.Single(discovery["services"]!.AsArray())!;
        Assert.Equal("order-sign", (string)service["hook"]!);
        Assert.Equal("mgauth-ivig-order-sign", (string)service["id"]!);
        Assert.False(string.IsNullOrEmpty((string?)service["title"]));
        Assert.False(string.IsNullOrEmpty((string?)service["description"]));
        var prefetch = service["prefetch"]!.AsObject();
        Assert.Equal("Patient/{{context.patientId}}", (string)prefetch["patient"]!);
        Assert.Equal("Coverage?patient={{context.patientId}}&status=active", (string)prefetch["coverage"]!);
        Assert.StartsWith("Condition?patient={{context.patientId}}", (string)prefetch["conditions"]!);
        Assert.StartsWith("MedicationStatement?patient={{context.patientId}}", (string)prefetch["medicationStatements"]!);
        var observations = (string)prefetch["observations"]!;
        foreach (var code in new[] { "http://loinc.org|29463-7", "http://loinc.org|8302-2", $"{FindingCodes.System}|mg-adl-baseline", $"{FindingCodes.System}|mgfa-class" })
            Assert.Contains(code, observations);
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public async Task Every_example_as_a_draft_order_gets_the_coverage_information_of_its_evaluate_decision(string name)
    {
        var request = Examples.ForNewMember(name);
        var evaluations = Evaluations();
        var evaluated = await EvaluateAsync(factory.ProviderA, request);
        Assert.Equal(++evaluations, Evaluations());
        var rows = factory.CountRows();

        var answer = await factory.ProviderA.OrderSignOkAsync(HookRequestOf(request));

        var (order, information) = Updated(answer);
        Assert.Equal(Covered(evaluated), information.Code("covered"));
        Assert.Equal("auth-needed", information.Code("pa-needed"));
        var missing = evaluated["missingDocumentation"]!.AsArray().Select(m => (string)m!).ToArray();
        Assert.Equal(missing, CoverageInformation.MissingFields(information));
        Assert.Equal(missing.Length > 0 ? "clinical" : null, information.Code("doc-needed"));
        Assert.Equal(information.Code("covered") == "conditional" ? "OTH" : null, information.Code("info-needed"));
        Assert.StartsWith("Coverage/", information.Part<R4.ResourceReference>("coverage").Reference);
        Assert.False(string.IsNullOrEmpty(information.Part<R4.FhirString>("coverage-assertion-id").Value));
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), information.Part<R4.Date>("date").Value);
        Assert.Equal(R4.MedicationRequest.MedicationrequestStatus.Draft, order.Status);
        foreach (var code in evaluated.Codes()) Assert.Contains(code, information.Part<R4.CodeableConcept>("reason").Text);
        var card = Assert.Single(answer["cards"]!.AsArray())!;
        Assert.Equal("info", (string)card["indicator"]!);
        Assert.InRange(((string)card["summary"]!).Length, 1, 140);
        Assert.Equal(rows, factory.CountRows());
        Assert.Equal(evaluations + 1, Evaluations());
        FhirCalls.AssertValid(order);
    }

    [Fact]
    public async Task Missing_documentation_is_named_field_by_field_with_its_finding_code()
    {
        var request = Examples.ExacerbationMissingBaselines();
        var evaluated = await EvaluateAsync(factory.ProviderA, request);
        var missing = evaluated["missingDocumentation"]!.AsArray().Select(m => (string)m!).ToArray();
        Assert.Equal(["clinical.mgAdl.baseline", "clinical.qmg.baseline"], missing.Order());

        var (order, information) = Updated(await factory.ProviderA.OrderSignOkAsync(HookRequestOf(request)));

        Assert.Equal(("conditional", "auth-needed", "clinical", "OTH"),
            (information.Code("covered"), information.Code("pa-needed"), information.Code("doc-needed"), information.Code("info-needed")));
        var details = information.Extension.Where(e => e.Url == "detail").ToArray();
        Assert.Equal(missing, details.Select(d => d.Part<R4.FhirString>("value").Value));
        Assert.Equal(["mg-adl-baseline", "qmg-baseline"],
            details.Select(d => d.Part<R4.CodeableConcept>("code").Coding.Single(c => c.System == FindingCodes.System).Code).Order());
        Assert.All(details, d => Assert.Contains("Observation", d.Part<R4.FhirString>("qualification").Value));
        FhirCalls.AssertValid(order);
    }

    [Fact]
    public async Task A_draft_order_for_anything_but_IVIG_gets_no_response_content_and_no_evaluation()
    {
        var hook = HookRequestOf(Examples.ForNewMember(Examples.Exacerbation));
        var draft = hook["context"]!["draftOrders"]!["entry"]![0]!["resource"]!;
        draft["medicationCodeableConcept"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = Systems.RxNorm, ["code"] = "197361", ["display"] = "amlodipine 5 MG Oral Tablet" }),
        };
        var evaluations = Evaluations();

        var answer = await factory.ProviderA.OrderSignOkAsync(hook);

        Assert.Empty(answer["cards"]!.AsArray());
        Assert.Empty(answer["systemActions"]!.AsArray());
        Assert.Equal(evaluations, Evaluations());
    }

    [Fact]
    public async Task History_comes_from_the_callers_organization_only_as_for_evaluate()
    {
        var member = Examples.NewMemberId();
        var first = Examples.ForMember(Examples.Exacerbation, member);
        Assert.Equal("approved", (string)(await factory.ProviderA.SubmitCreatedAsync(first))["status"]!);
        var again = Examples.ForMember(Examples.Exacerbation, member);

        var ownReason = Updated(await factory.ProviderA.OrderSignOkAsync(HookRequestOf(again))).Information.Part<R4.CodeableConcept>("reason").Text;
        var (_, theirs) = Updated(await factory.ProviderB.OrderSignOkAsync(HookRequestOf(again)));
        var evaluatedByB = await EvaluateAsync(factory.ProviderB, again);

        Assert.Contains("OVERLAPPING_AUTHORIZATION", ownReason);
        Assert.DoesNotContain("OVERLAPPING_AUTHORIZATION", theirs.Part<R4.CodeableConcept>("reason").Text);
        Assert.Equal(Covered(evaluatedByB), theirs.Code("covered"));
        Assert.Equal("covered", theirs.Code("covered"));
    }

    [Fact]
    public async Task Without_a_key_401_and_every_role_gets_what_it_gets_from_evaluate()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        using (var anonymous = await factory.Anonymous().PostHookAsync(HookRequestOf(request)))
            await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);

        foreach (var role in new[] { Roles.Provider, Roles.Reviewer, Roles.Clinician, Roles.PolicyAuthor, Roles.PolicyApprover, Roles.Admin })
        {
            var client = factory.ClientFor(factory.Keys.Named(role));
            using var evaluated = await client.PostJsonAsync("/v1/evaluate", request);
            using var hooked = await client.PostHookAsync(HookRequestOf(request));
            Assert.True(evaluated.StatusCode == hooked.StatusCode, $"{role}: evaluate {(int)evaluated.StatusCode}, order-sign {(int)hooked.StatusCode}");
        }
    }

    public static TheoryData<string, string, int, string> BadRequests() => new()
    {
        { "not JSON", "{\"hook\": ", 400, "$" },
        { "not an object", "[1, 2]", 400, "$" },
        { "another hook", "hook=order-select", 400, "hook" },
        { "no hookInstance", "hookInstance=", 400, "hookInstance" },
        { "no patient id", "context.patientId=", 400, "context.patientId" },
        { "draft orders not a Bundle", "context.draftOrders=patient", 400, "context.draftOrders.resourceType" },
        { "a bad birth date", "prefetch.patient.birthDate=19-02-1957", 400, "prefetch.patient.birthDate" },
        { "another patient", "prefetch.patient.id=someone-else", 400, "prefetch.patient.id" },
        { "no coverage prefetched", "prefetch.coverage=", 412, "prefetch.coverage" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_refused_naming_the_field_and_nothing_is_stored(string what, string change, int status, string field)
    {
        var hook = HookRequestOf(Examples.ForNewMember(Examples.Exacerbation));
        string body;
        if (!change.Contains('=', StringComparison.Ordinal)) body = change;
        else
        {
            var (path, value) = (change[..change.IndexOf('=')], change[(change.IndexOf('=') + 1)..]);
            var names = path.Split('.');
            var parent = names[..^1].Aggregate((JsonNode)hook, (node, name) => node[name]!).AsObject();
            if (value.Length == 0) parent.Remove(names[^1]);
            else parent[names[^1]] = value == "patient" ? hook["prefetch"]!["patient"]!.DeepClone() : value;
            body = hook.ToJsonString();
        }
        var (rows, evaluations) = (factory.CountRows(), Evaluations());

        using var response = await factory.ProviderA.PostAsync(CrdCalls.OrderSign, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync((HttpStatusCode)status);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"{what}: {problem}");
        Assert.Equal(rows, factory.CountRows());
        Assert.Equal(evaluations, Evaluations());
    }

    [Fact]
    public async Task A_request_the_contract_rejects_is_400_at_the_FHIR_place_of_the_field_and_audited_as_evaluate_audits_it()
    {
        var hook = HookRequestOf(Examples.ForNewMember(Examples.Exacerbation));
        hook["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["dosageInstruction"]![0]!["timing"]!["repeat"]!["count"] = 99;
        var (rows, evaluations) = (factory.CountRows(), Evaluations());

        using var response = await factory.ProviderA.PostHookAsync(hook);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("context.draftOrders.entry[0].resource.dosageInstruction[0].timing.repeat.count", error.Key);
        Assert.Contains("regimen.infusionDays", (string)error.Value![0]!);
        Assert.Equal(rows, factory.CountRows());
        Assert.Equal(evaluations + 1, Evaluations());
    }

    [Fact]
    public async Task Answers_and_refusals_leave_no_member_data_in_the_logs()
    {
        var logs = new CapturingLoggerProvider();
        await using var service = new MgAuthFactory();
        await using var logged = service.WithWebHostBuilder(b => b.ConfigureLogging(l =>
            l.SetMinimumLevel(LogLevel.Trace).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace).AddProvider(logs)));
        var client = logged.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestKeys.Create(logged.Services).ProviderA.Secret);
        const string member = "M-PHI-CRD-7731";
        var request = Examples.ExacerbationMissingBaselines(member);
        request["member"]!["birthDate"] = "1944-07-19";
        var hook = HookRequestOf(request);

        await client.OrderSignOkAsync(hook);
        hook["prefetch"]!["patient"]!["birthDate"] = "19-07-1944";
        (await client.PostHookAsync(hook)).Dispose();
        hook["prefetch"]!.AsObject().Remove("coverage");
        (await client.PostHookAsync(hook)).Dispose();

        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(member, StringComparison.Ordinal) || l.Contains("1944", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_service_is_404()
    {
        using var response = await factory.ProviderA.PostHookAsync(HookRequestOf(Examples.ForNewMember(Examples.Exacerbation)), "/cds-services/no-such-service");
        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("mgauth-ivig-order-sign", (string)problem["detail"]!);
    }
}
