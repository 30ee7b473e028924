using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MgAuth.Api.Tests.Fuzz;
using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>
/// The front door under mutated requests (wrong types, nulls, huge and negative numbers, deep nesting, long and
/// odd Unicode strings, lone surrogates, duplicate keys, removed and extra fields, truncation, broken bodies):
/// every answer is a decision or a 400 problem naming the fields, never a 5xx, and a refusal stores nothing.
/// The seed is fixed so a run is the same inputs every time; a failure prints the input, its body and the replay
/// seed, and shrinks to the fewest steps. To explore other inputs, change or remove <c>Replay</c> locally.
/// </summary>
public sealed class FrontDoorFuzzTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    public const int Inputs = 2_000;
    public const int SupplementInputs = 300;
    private const int MaxRequestBytes = 65_536; // appsettings.json Limits:MaxRequestBytes
    private int _members;
    private RowCounts? _rows;
    private HttpClient? _client;

    [Property(MaxTest = Inputs, Replay = "(20261211,7919)")]
    public Property Every_mutated_request_is_decided_or_refused_with_a_problem_and_a_refusal_stores_nothing() =>
        Prop.ForAll(FuzzInputs.Arbitrary, async input =>
        {
            // A member of its own, so member history (§4 H1/H2) stays what a real member's would be.
            var body = RequestMutator.Render(input, $"M-FZ{Interlocked.Increment(ref _members):D5}");
            var client = _client ??= factory.ProviderA;
            _rows ??= factory.CountRows();

            var submitted = await PostAsync(client, "/v1/authorizations", body, 201, input);
            var evaluated = await PostAsync(client, "/v1/evaluate", body, 200, input);
            Assert.True(submitted == 201 == (evaluated == 200), $"stored {submitted} but evaluated {evaluated}; input: {input}");

            // A stored decision is one authorization, its revision, and two events (submitted, decided); nothing else stores.
            var expected = submitted == 201
                ? new RowCounts(_rows.Authorizations + 1, _rows.Revisions + 1, _rows.Events + 2)
                : _rows;
            _rows = factory.CountRows();
            Assert.True(expected == _rows, $"after {submitted} and /v1/evaluate {evaluated}: rows {_rows}, expected {expected}; input: {input}");
            return Prop.ToProperty(true).Collect($"{submitted}/{evaluated}");
        });

    // Supplements take the same abuse: a pended case of its own each, and the documentation it lacks, mutated.
    [Property(MaxTest = SupplementInputs, Replay = "(20261211,7919)")]
    public Property Every_mutated_supplement_is_decided_or_refused_with_a_problem_and_a_refusal_stores_nothing() =>
        Prop.ForAll(FuzzInputs.Steps, async steps =>
        {
            var client = _client ??= factory.ProviderA;
            var id = (string)(await client.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines()))["authorizationId"]!;
            var patch = Examples.BaselinesSupplement();
            patch["regimen"] = new JsonObject { ["gramsPerDay"] = 30, ["infusionDays"] = 5 };
            patch["clinical"]!["bulbarDysfunction"] = true;
            var body = RequestMutator.Render(patch, steps);
            var input = $"a supplement with [{string.Join(", ", steps.AsEnumerable())}]";

            var before = factory.CountRows();
            var answered = await PostAsync(client, $"/v1/authorizations/{id}/supplements", body, 200, input);
            // A supplement decided is a revision and two events (supplemented, decided).
            var expected = answered == 200 ? before with { Revisions = before.Revisions + 1, Events = before.Events + 2 } : before;
            var after = factory.CountRows();
            Assert.True(expected == after, $"after {answered}: rows {after}, expected {expected}; input: {input}");
            return Prop.ToProperty(true).Collect(answered);
        });

    private static async Task<int> PostAsync(HttpClient client, string path, byte[] body, int decided, object input)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync(path, content);
        return await FrontDoorAnswer.AssertAcceptableAsync(response, decided, body, MaxRequestBytes, input.ToString()!);
    }
}
