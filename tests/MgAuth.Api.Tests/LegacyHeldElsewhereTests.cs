using System.Text;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Authorizations;
using MgAuth.Domain.Decisions;

namespace MgAuth.Api.Tests;

/// <summary>
/// Issue 19, item 5: another organization's record is withheld by type. A case stored before that (its history and its
/// decision naming the record by <see cref="LegacyHeldElsewhere.Marker"/> in place of an id, as a pre-issue-18 decision
/// did in a reason's message and a trace's facts) still reads in full for the plan's staff and withheld for its provider,
/// byte for byte as the provider's view did when it rewrote the marker in the serialized decision.
/// </summary>
public sealed class LegacyHeldElsewhereTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private const string TheirFrom = "2026-12-17";
    private const string TheirThrough = "2027-01-15";
    private static readonly string LegacyMessage =
        $"An approved authorization ({LegacyHeldElsewhere.Marker}, {TheirFrom} to {TheirThrough}) already covers part of the requested period.";

    // A pended case of organization B, rewritten as a service before issue 18 stored it: the history names organization A's
    // approval by the marker, and the decision weighed it as a fact (OVERLAPPING_AUTHORIZATION, and a course collected from it).
    private async Task<(string Id, string Key, JsonNode Request)> LegacyCaseAsync()
    {
        var request = Examples.ExacerbationMissingBaselines(Examples.NewMemberId());
        var key = Guid.NewGuid().ToString("N");
        var pended = await factory.ProviderB.SubmitCreatedAsync(request, key);
        var id = pended.Id();
        var stored = JsonNode.Parse(Stored(id, "decision_json"))!;
        var record = new JsonObject
        {
            ["authorizationId"] = LegacyHeldElsewhere.Marker, ["indication"] = "exacerbation", ["validFrom"] = TheirFrom, ["validThrough"] = TheirThrough,
        };
        stored["reasons"]!.AsArray().Add(new JsonObject
        {
            ["code"] = "OVERLAPPING_AUTHORIZATION", ["effect"] = "review", ["message"] = LegacyMessage, ["policyRef"] = "§4 H2",
            ["evidence"] = "plan rule", ["rule"] = "OverlappingAuthorization",
        });
        var trace = stored["trace"]!.AsArray();
        trace.Add(new JsonObject
        {
            ["seq"] = trace.Count + 1, ["rule"] = "OverlappingAuthorization",
            ["facts"] = new JsonObject
            {
                ["p"] = "policy ivig-mg-standard", ["a"] = record.DeepClone(),
                ["recent"] = new JsonArray(
                    new JsonObject { ["startDate"] = TheirFrom, ["indication"] = "exacerbation", ["source"] = LegacyHeldElsewhere.Marker },
                    new JsonObject { ["startDate"] = "2026-10-01", ["indication"] = "exacerbation", ["source"] = "request" }),
                ["note"] = LegacyMessage,
            },
        });
        factory.Execute("UPDATE revisions SET decision_json = @d, history_json = @h WHERE authorization_id = @id",
            ("@d", stored.ToJsonString()), ("@h", new JsonArray(record, Own).ToJsonString()), ("@id", id));
        return (id, key, request);
    }

    // The case's own organization's earlier approval, long over: a history fact a why-not shows the values of.
    private static JsonObject Own => new()
    {
        ["authorizationId"] = "PA-OWN-1", ["indication"] = "exacerbation", ["validFrom"] = "2026-01-05", ["validThrough"] = "2026-02-03",
    };

    private string Stored(string id, string column)
    {
        using var connection = factory.OpenDatabase();
        using var command = MgAuthFactory.Command(connection, $"SELECT {column} FROM revisions WHERE authorization_id = @id", ("@id", id));
        return (string)command.ExecuteScalar()!;
    }

    private static void AssertWithheld(string json)
    {
        Assert.DoesNotContain(LegacyHeldElsewhere.Marker, json);
        Assert.DoesNotContain(TheirFrom, json);
        Assert.DoesNotContain(TheirThrough, json);
    }

    [Fact]
    public async Task A_case_stored_the_old_way_reads_in_full_for_staff_and_withheld_for_its_provider_as_before()
    {
        var (id, _, _) = await LegacyCaseAsync();

        var provider = await factory.ProviderB.GetOkAsync($"/v1/authorizations/{id}");
        var staff = await factory.Reviewer.GetOkAsync($"/v1/authorizations/{id}");

        AssertWithheld(provider.ToJsonString());
        Assert.Equal(ProviderView.Message, (string)provider["reasons"]!.AsArray().Single(r => (string)r!["code"]! == "OVERLAPPING_AUTHORIZATION")!["message"]!);
        var facts = provider["trace"]!.AsArray().Last()!["facts"]!;
        Assert.Equal(ProviderView.Withheld, (string)facts["a"]!);
        Assert.Equal(ProviderView.Withheld, (string)facts["recent"]![0]!);
        Assert.Equal("request", (string)facts["recent"]![1]!["source"]!);
        Assert.Equal(ProviderView.Message, (string)facts["note"]!);
        // The staff read what was stored; the provider what the marker's rewriting made of it, to the byte.
        Assert.Contains(LegacyMessage, staff.ToJsonString());
        Assert.Equal(LegacyHeldElsewhere.Marker, (string)staff["trace"]!.AsArray().Last()!["facts"]!["a"]!["authorizationId"]!);
        foreach (var part in new[] { "reasons", "trace" })
            Assert.Equal(MarkerRewritten(staff[part]!.DeepClone()).ToJsonString(), provider[part]!.ToJsonString());
    }

    [Fact]
    public async Task A_retried_submission_answers_the_stored_first_answer_rewritten_as_before_byte_for_byte()
    {
        var (id, key, request) = await LegacyCaseAsync();

        using var retried = await factory.ProviderB.SubmitAsync(request, key);
        var bytes = await retried.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        AssertWithheld(Encoding.UTF8.GetString(bytes));
        Assert.Equal(MarkerRewritten(JsonNode.Parse(Stored(id, "decision_json"))!).ToJsonString(MgAuthJson.Compact), Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task The_explanation_of_a_case_with_an_old_history_hides_the_history_values_from_its_provider_only()
    {
        var (id, _, _) = await LegacyCaseAsync();

        var provider = await factory.ProviderB.GetOkAsync($"/v1/authorizations/{id}/explain");
        var staff = await factory.Reviewer.GetOkAsync($"/v1/authorizations/{id}/explain");

        // The stored history reads as another organization's approval: weighed (near today), its values shown to no provider.
        Assert.Contains("AUTHORIZATION_HELD_ELSEWHERE", provider.Codes());
        AssertWithheld(provider.ToJsonString());
        static JsonObject[] OverHistory(JsonNode explained) => explained["explain"]!.AsArray().Select(w => w!.AsObject())
            .Where(w => ((string)w["pattern"]!) is var p && (p.EndsWith(" PriorIvigCourse", StringComparison.Ordinal)
                || p.EndsWith(" PriorAuthorization", StringComparison.Ordinal))).ToArray();
        Assert.NotEmpty(OverHistory(provider));
        Assert.All(OverHistory(provider), w => Assert.Empty(w["values"]!.AsObject()));
        Assert.Contains(OverHistory(staff), w => w["values"]!.ToJsonString().Contains("2026-01-05", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_determination_quoting_an_old_reason_reads_withheld_for_the_provider_and_in_its_notice()
    {
        var (id, _, _) = await LegacyCaseAsync();

        var denied = await factory.Clinician().DetermineOkAsync(id, ReviewCalls.Deny("OVERLAPPING_AUTHORIZATION", "Another authorization covers this period."));
        Assert.Equal(LegacyMessage, (string)denied["determination"]!["reasonMessage"]!);

        var provider = await factory.ProviderB.GetOkAsync($"/v1/authorizations/{id}");
        Assert.Equal(ProviderView.Message, (string)provider["determination"]!["reasonMessage"]!);
        AssertWithheld(provider.ToJsonString());
        AssertWithheld((await factory.ProviderB.GetOkAsync($"/v1/authorizations/{id}/notice")).ToJsonString());
        Assert.Equal(LegacyMessage, (string)(await factory.Reviewer.GetOkAsync($"/v1/authorizations/{id}"))["determination"]!["reasonMessage"]!);
    }

    // The provider's view as it was made before issue 19 (item 5): the decision serialized, every object holding the marker
    // replaced by "withheld" and every text naming it by the provider's message. Kept as the oracle the typed view must match.
    private static JsonNode MarkerRewritten(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o when o.Any(p => IsMarker(p.Value)):
                return JsonValue.Create(ProviderView.Withheld);
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToArray())
                    if (o[key] is { } child && MarkerRewritten(child) is var rewritten && !ReferenceEquals(rewritten, child)) o[key] = rewritten;
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is { } child && MarkerRewritten(child) is var rewritten && !ReferenceEquals(rewritten, child)) a[i] = rewritten;
                return a;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() is var text
                                  && text.Contains(LegacyHeldElsewhere.Marker, StringComparison.Ordinal):
                return JsonValue.Create(text == LegacyHeldElsewhere.Marker ? ProviderView.Withheld : ProviderView.Message);
            default:
                return node;
        }
    }

    private static bool IsMarker(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() == LegacyHeldElsewhere.Marker;
}
