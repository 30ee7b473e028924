using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>
/// What GET /v1/authorizations/{id} and the queue answer beyond the stored decision, so the console derives nothing: the
/// dosing working (the decision's own computation), the clock on the service's TimeProvider, and the filters' values.
/// </summary>
public sealed class CaseAnswerTests(ManualClockFactory factory) : IClassFixture<ManualClockFactory>
{
    [Theory]
    [MemberData(nameof(EveryExample))]
    public async Task The_dosing_working_is_the_decisions_own_figures(string example)
    {
        var submitted = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(example));

        var read = await factory.Reviewer.GetOkAsync($"/v1/authorizations/{submitted.Id()}");

        var working = read["dosingWorking"]!;
        var weight = working["dosingWeight"]!;
        Assert.True(JsonNode.DeepEquals(read["dosingWeight"], weight["result"]), $"decision {read["dosingWeight"]}, working {weight["result"]}");
        Assert.Equal((decimal)read["requested"]!["courseGrams"]!, (decimal)working["courseGrams"]!);
        Assert.Equal((decimal)read["requested"]!["gramsPerKgPerCourse"]!, (decimal)working["gramsPerKgPerCourse"]!);
        var ceiling = working["courseCeiling"]!;
        Assert.Equal((decimal)read["dosingWeight"]!["kg"]!, (decimal)ceiling["dosingKg"]!);
        Assert.Equal((decimal)ceiling["vials"]! * (int)ceiling["vialGrams"]!, (decimal)ceiling["grams"]!);
        Assert.InRange((decimal)ceiling["grams"]! - (decimal)ceiling["unroundedGrams"]!, 0m, (int)ceiling["vialGrams"]! - 0.0000001m);
        // The limits the rules saw, in the trace, are the working's.
        foreach (var limits in Facts(read["trace"]!, "courseCeilingGrams"))
        {
            Assert.Equal((decimal)limits["courseCeilingGrams"]!, (decimal)ceiling["grams"]!);
            Assert.Equal((decimal)limits["dailyCeilingGrams"]!, (decimal)working["dailyCeiling"]!["grams"]!);
        }
    }

    [Fact]
    public async Task Over_the_ceiling_the_working_shows_the_vial_rounded_ceiling_the_reason_names()
    {
        var pended = await factory.PendedDenyAsync();

        var working = (await factory.Reviewer.GetOkAsync($"/v1/authorizations/{pended.Id()}"))["dosingWorking"]!;

        Assert.Equal("devine_male", (string)working["dosingWeight"]!["formula"]!);
        Assert.Equal(78m, (decimal)working["dosingWeight"]!["result"]!["kg"]!);
        Assert.Equal(2m, (decimal)working["courseCeiling"]!["gramsPerKg"]!);
        Assert.Equal(156m, (decimal)working["courseCeiling"]!["unroundedGrams"]!);
        Assert.Equal(160m, (decimal)working["courseCeiling"]!["grams"]!);
        Assert.Equal(312m, (decimal)working["courseGrams"]!);
    }

    [Fact]
    public async Task The_clock_is_the_services_and_runs_out_on_it()
    {
        var pended = await factory.PendedDenyAsync();
        var dueBy = DateTimeOffset.Parse((string)pended["dueBy"]!);

        var clock = await ClockAsync(pended.Id());
        Assert.Equal(factory.Clock.GetUtcNow(), DateTimeOffset.Parse((string)clock["now"]!));
        Assert.Equal((long)Math.Floor((dueBy - factory.Clock.GetUtcNow()).TotalSeconds), (long)clock["dueInSeconds"]!);
        Assert.False((bool)clock["overdue"]!);
        Assert.Equal("on_time", (string)clock["standing"]!);
        var item = (await factory.Reviewer.QueueItemAsync(pended.Id()))!;
        Assert.Equal((long)clock["dueInSeconds"]!, (long)item["clock"]!["dueInSeconds"]!);

        factory.Clock.Advance(dueBy - factory.Clock.GetUtcNow() - TimeSpan.FromHours(2));
        Assert.Equal("due_soon", (string)(await ClockAsync(pended.Id()))["standing"]!);
        Assert.Equal(7200, (long)(await ClockAsync(pended.Id()))["dueInSeconds"]!);

        factory.Clock.Advance(TimeSpan.FromHours(3));
        var overdue = await ClockAsync(pended.Id());
        Assert.True((bool)overdue["overdue"]!);
        Assert.Equal("overdue", (string)overdue["standing"]!);
        Assert.Equal(-3600, (long)overdue["dueInSeconds"]!);
        Assert.Equal("overdue", (string)(await factory.Reviewer.QueueItemAsync(pended.Id()))!["clock"]!["standing"]!);
    }

    [Fact]
    public async Task A_decided_case_has_no_clock_running()
    {
        var approved = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));

        var read = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{approved.Id()}");

        Assert.Null(read["clock"]);
        Assert.NotNull(read["nextActions"]);
    }

    [Fact]
    public async Task The_queue_says_which_values_each_filter_takes_and_takes_each_of_them()
    {
        var filters = (await factory.Reviewer.QueueAsync())["filters"]!.AsObject();

        Assert.Equal(["recommendation", "indication", "urgency", "overdue"], filters.Select(f => f.Key));
        Assert.Equal(["deny", "review"], Values(filters["recommendation"]!));
        Assert.Equal(["exacerbation", "crisis", "pre_thymectomy", "bridging_steroids", "refractory_maintenance"], Values(filters["indication"]!));
        Assert.Equal(["standard", "expedited"], Values(filters["urgency"]!));
        Assert.Equal(["true", "false"], Values(filters["overdue"]!));
        Assert.Equal("pre thymectomy", (string)filters["indication"]![2]!["label"]!);
        foreach (var (name, choices) in filters)
            foreach (var value in Values(choices!))
            {
                using var response = await factory.Reviewer.GetAsync($"/v1/review-queue?{name}={value}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        using var other = await factory.Reviewer.GetAsync("/v1/review-queue?recommendation=approve");
        await other.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_answers_fields_are_not_stored_nor_sent_with_a_submission()
    {
        var submitted = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.OverCeiling));
        Assert.All(["dosingWorking", "clock", "nextActions"], field => Assert.False(submitted.ContainsKey(field), field));

        var read = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{submitted.Id()}");
        Assert.All(["dosingWorking", "clock", "nextActions"], field => Assert.True(read.ContainsKey(field), field));

        await using var connection = factory.OpenDatabase();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT decision_json FROM revisions WHERE authorization_id = @id";
        var id = command.CreateParameter();
        id.ParameterName = "id";
        id.Value = submitted.Id();
        command.Parameters.Add(id);
        var stored = (string)(await command.ExecuteScalarAsync())!;
        Assert.DoesNotContain("nextActions", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("dosingWorking", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_answers_fields()
    {
        var document = await factory.Anonymous().GetOkAsync("/swagger/v1/swagger.json");

        var schemas = document["components"]!["schemas"]!;
        var answer = schemas["MgAuth.Cases.Review.CaseAnswer"]!["properties"]!.AsObject();
        Assert.All(["authorizationId", "decision", "dosingWeight", "trace", "dosingWorking", "clock", "nextActions"],
            field => Assert.True(answer.ContainsKey(field), field));
        Assert.Contains("vial", (string)answer["dosingWorking"]!["description"]!);
        Assert.NotNull(schemas["MgAuth.Cases.Review.NextAction"]);
        Assert.NotNull(schemas["MgAuth.Cases.Review.CaseClock"]);
        Assert.NotNull(schemas["MgAuth.Cases.Review.QueueFilterValues"]);
        var get = document["paths"]!["/v1/authorizations/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        Assert.EndsWith("/MgAuth.Cases.Review.CaseAnswer", (string)get["$ref"]!);
    }

    public static TheoryData<string> EveryExample() => [.. Examples.All];

    private async Task<JsonNode> ClockAsync(string id) => (await factory.Reviewer.GetOkAsync($"/v1/authorizations/{id}"))["clock"]!;

    private static string[] Values(JsonNode choices) => [.. choices.AsArray().Select(c => (string)c!["value"]!)];

    /// <summary>Every object in the trace's facts that has <paramref name="field"/>.</summary>
    private static IEnumerable<JsonObject> Facts(JsonNode node, string field) => node switch
    {
        JsonObject o when o.ContainsKey(field) => [o],
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Facts(p.Value, field)),
        JsonArray a => a.SelectMany(v => v is null ? [] : Facts(v, field)),
        _ => [],
    };
}
