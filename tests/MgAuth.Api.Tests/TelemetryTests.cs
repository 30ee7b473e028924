using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MgAuth.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace MgAuth.Api.Tests;

/// <summary>
/// The service's meter and spans are process-wide names: these tests run alone, so what a scrape counts is what they did.
/// </summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>OpenTelemetry: decisions counted by outcome and policy, the queue depth, spans, no member data; the health checks.</summary>
[Collection(nameof(TelemetryTests))]
public sealed partial class TelemetryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string MemberId = "M-OTEL-40917";
    private const string BirthDate = "1951-03-27";
    private const string ProviderNpi = "1234567893";

    /// <summary>The service with its spans kept in memory as they end.</summary>
    private sealed class TracedFactory : MgAuthFactory
    {
        public SpanLog Spans { get; } = [];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Traces are on only where an exporter reads them (OTLP, or a host's own with this setting).
            builder.UseSetting(MgAuth.Api.Infrastructure.Observability.TracesSetting, "true");
            builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans)));
        }
    }

    /// <summary>The exporter adds from whichever thread ends a span; the test reads a copy.</summary>
    private sealed class SpanLog : Collection<Activity>
    {
        private readonly Lock _lock = new();

        protected override void InsertItem(int index, Activity item)
        {
            lock (_lock) base.InsertItem(index, item);
        }

        public Activity[] Snapshot()
        {
            lock (_lock) return [.. this];
        }
    }

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    private static JsonObject MemberRequest(string example)
    {
        var request = example == "missing-baselines" ? Examples.ExacerbationMissingBaselines(MemberId) : Examples.ForMember(example, MemberId);
        request["member"]!["birthDate"] = BirthDate;
        request["provider"] = new JsonObject { ["npi"] = ProviderNpi };
        return request;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)",?""")]
    private static partial Regex Label();

    private static List<Sample> Parse(string scrape) => scrape.Split('\n')
        .Where(line => line.Length > 0 && line[0] != '#')
        .Select(line => SampleLine().Match(line))
        .Where(m => m.Success)
        .Select(m => new Sample(m.Groups["name"].Value,
            Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value),
            double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))
        .ToList();

    private static async Task<string> ScrapeAsync(MgAuthFactory factory)
    {
        using var response = await factory.Anonymous().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Decisions_are_counted_by_source_outcome_and_policy_with_their_duration_and_the_queue_depth()
    {
        await using var factory = new TracedFactory();
        var provider = factory.ProviderA;
        var expected = new Dictionary<(string Source, string Outcome, string Status, string Policy, string Version), int>();
        void Count(string source, JsonNode decision, string? outcome = null)
        {
            var key = (source, outcome ?? (string)decision["decision"]!, (string)decision["status"]!,
                (string)decision["policy"]!["id"]!, (string)decision["policy"]!["version"]!);
            expected[key] = expected.GetValueOrDefault(key) + 1;
        }

        var submitted = new List<JsonObject>();
        foreach (var example in Examples.All)
            submitted.Add(await provider.SubmitCreatedAsync(Examples.ForNewMember(example)));
        var restrictive = Examples.ForNewMember(Examples.Exacerbation);
        restrictive["policyId"] = "ivig-mg-restrictive";
        submitted.Add(await provider.SubmitCreatedAsync(restrictive));
        var missing = await provider.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines());
        submitted.Add(missing);
        submitted.Add(await provider.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines())); // stays in the queue
        foreach (var decision in submitted) Count("submit", decision);
        Count("supplement", await provider.SupplementOkAsync(missing.Id(), Examples.BaselinesSupplement()));
        using (var evaluated = await provider.PostJsonAsync("/v1/evaluate", Examples.ForNewMember(Examples.Crisis)))
        {
            Assert.Equal(HttpStatusCode.OK, evaluated.StatusCode);
            Count("evaluate", await evaluated.JsonAsync());
        }
        var overCeiling = submitted.First(d => (string)d["status"]! == "pended" && (string)d["decision"]! == "deny");
        Count("determination", await factory.Clinician().DetermineOkAsync(overCeiling.Id(), ReviewCalls.Deny()), "deny");
        Assert.Contains(expected.Keys, k => k.Outcome == "approve");
        Assert.Contains(expected.Keys, k => k.Outcome == "review" || k.Status == "pended");

        var scrape = await ScrapeAsync(factory);
        output.WriteLine(string.Join('\n', scrape.Split('\n').Where(l => l.StartsWith("mgauth_", StringComparison.Ordinal))));
        var samples = Parse(scrape);

        var counted = samples.Where(s => s.Name == "mgauth_decisions_total")
            .ToDictionary(s => (s.Labels["source"], s.Labels["outcome"], s.Labels["status"], s.Labels["policy"], s.Labels["policy_version"]),
                s => (int)s.Value);
        Assert.Equal(expected.OrderBy(e => e.Key.ToString()), counted.OrderBy(e => e.Key.ToString()));

        // One timed rules run per submission, supplement and evaluation; a determination is a person's, not timed.
        var runs = samples.Where(s => s.Name == "mgauth_decision_duration_milliseconds_count").ToArray();
        Assert.Equal(submitted.Count + 2, runs.Sum(s => s.Value));
        Assert.DoesNotContain(runs, s => s.Labels["source"] == "determination");
        Assert.Contains(samples, s => s.Name == "mgauth_decision_duration_milliseconds_bucket" && s.Labels["le"] == "+Inf");
        Assert.All(samples.Where(s => s.Name == "mgauth_decision_duration_milliseconds_sum"), s => Assert.True(s.Value > 0));

        var pended = factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE status = 'pended'");
        Assert.True(pended > 0);
        Assert.Equal(pended, (long)samples.Single(s => s.Name == "mgauth_review_queue_depth").Value);
        Assert.Equal(pended, (long)(await factory.Reviewer.QueueAsync())["total"]!);

        // Every stored case and revision went through the writer: at least that many writes committed.
        var writes = samples.Where(s => s.Name == "mgauth_writer_batch_size_sum").Sum(s => s.Value);
        Assert.True(writes >= submitted.Count + 2, $"{writes} writes committed");
        Assert.Contains(samples, s => s.Name == "mgauth_writer_batch_size_bucket");

        // ASP.NET Core's request metrics, labelled with the route's template; the runtime's.
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count"
                                      && s.Labels.GetValueOrDefault("http_route") == "/v1/authorizations/{id}/supplements");
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_member_data_in_the_metrics_or_the_spans()
    {
        await using var factory = new TracedFactory();
        var provider = factory.ProviderA;
        var approved = await provider.SubmitCreatedAsync(MemberRequest(Examples.Exacerbation), "otel-key-1");
        var pended = await provider.SubmitCreatedAsync(MemberRequest("missing-baselines"));
        await provider.SupplementOkAsync(pended.Id(), Examples.BaselinesSupplement());
        var overCeiling = await provider.SubmitCreatedAsync(MemberRequest(Examples.OverCeiling));
        await factory.Clinician().DetermineOkAsync(overCeiling.Id(), ReviewCalls.Deny());
        (await provider.SubmitAsync(MemberRequest(Examples.Exacerbation), "otel-key-1")).Dispose();   // a replay
        (await provider.PostJsonAsync("/v1/evaluate", MemberRequest(Examples.Crisis))).Dispose();
        await provider.GetOkAsync($"/v1/authorizations/{approved.Id()}");
        await provider.GetOkAsync($"/v1/authorizations?memberId={MemberId}");
        await factory.Reviewer.GetOkAsync($"/v1/authorizations?memberId={MemberId}&status=approved");
        var invalid = MemberRequest(Examples.Exacerbation);
        invalid["member"]!["sex"] = "f";
        (await provider.SubmitAsync(invalid)).Dispose();
        (await factory.Anonymous().GetAsync($"/v1/authorizations?memberId={MemberId}")).Dispose();

        var scrape = await ScrapeAsync(factory);
        var spans = factory.Spans.Snapshot();
        var text = new StringBuilder(scrape);
        foreach (var span in spans) text.AppendLine(Describe(span));
        var everything = text.ToString();

        // "memberId=": a query string (Npgsql's spans carry the SQL, whose @memberId is a placeholder, never the value).
        string[] secrets = [MemberId, BirthDate, ProviderNpi, TestKeys.ClinicianNpi, "memberId="];
        var leaks = everything.Split('\n').Where(l => secrets.Any(s => l.Contains(s, StringComparison.Ordinal))).ToArray();
        foreach (var leak in leaks.Take(20)) output.WriteLine(leak);
        Assert.True(leaks.Length == 0, $"{leaks.Length} lines of the scrape and spans carry member data; first: {leaks.FirstOrDefault()}");

        Assert.DoesNotContain(spans, s => s.GetTagItem("url.query") is not null || s.GetTagItem("url.full") is not null
                                          || s.GetTagItem("db.npgsql.data_source") is not null);

        // The spans are there to be searched: the requests, the decisions with their policy and outcome, the database.
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.DisplayName == "POST /v1/authorizations");
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.DisplayName == "GET /v1/authorizations");
        var decides = spans.Where(s => s.OperationName == "mgauth.decide").ToArray();
        Assert.Equal(5, decides.Length); // three submissions, the supplement, the evaluation; the replay and the invalid run no rules
        Assert.All(decides, s =>
        {
            Assert.StartsWith("ivig-mg-", (string)s.GetTagItem("mgauth.policy.id")!);
            Assert.NotNull(s.GetTagItem("mgauth.policy.version"));
            Assert.Contains((string)s.GetTagItem("mgauth.outcome")!, new[] { "approve", "deny", "review" });
            Assert.True((int)s.GetTagItem("mgauth.rules_fired")! > 0);
            Assert.NotEqual(default, s.ParentSpanId); // inside its request's span
        });
        Assert.Contains(spans, s => TestStorage.IsPostgres
            ? s.Source.Name == "Npgsql"
            : s.OperationName == "mgauth.writer.commit" && (int)s.GetTagItem("mgauth.writer.batch_size")! >= 1);
    }

    private static string Describe(Activity span)
    {
        var text = new StringBuilder($"{span.Source.Name} {span.OperationName} {span.DisplayName} {span.StatusDescription}");
        foreach (var (key, value) in span.TagObjects) text.Append(CultureInfo.InvariantCulture, $" {key}={value}");
        foreach (var e in span.Events)
        {
            text.Append(CultureInfo.InvariantCulture, $" event {e.Name}");
            foreach (var (key, value) in e.Tags) text.Append(CultureInfo.InvariantCulture, $" {key}={value}");
        }
        foreach (var (key, value) in span.Baggage) text.Append(CultureInfo.InvariantCulture, $" baggage {key}={value}");
        return text.ToString();
    }

    [SqliteOnlyFact]
    public async Task Readiness_is_503_while_the_database_is_locked_out_and_200_again_after()
    {
        await using var factory = new ShortBusyTimeoutFactory();
        var anonymous = factory.Anonymous();
        using (var ready = await anonymous.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var report = await ready.JsonAsync();
            Assert.Equal("ready", (string)report["status"]!);
            Assert.Equal("ok", (string)report["checks"]!["database"]!);
        }

        using (var locker = LockOut(factory))
        {
            using var notReady = await anonymous.GetAsync("/health/ready");
            var report = await notReady.JsonAsync();
            output.WriteLine(report.ToJsonString());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Equal("not ready", (string)report["status"]!);
            Assert.Equal("unavailable", (string)report["checks"]!["database"]!);
            Assert.StartsWith("ivig-mg ", (string)report["checks"]!["rulePack"]!);

            using var live = await anonymous.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("live", (string)(await live.JsonAsync())["status"]!);
        }

        using var again = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    /// <summary>
    /// A connection that keeps every other out, readers too: WAL lets readers past an ordinary writer's lock (DurabilityTests), but
    /// not past one in exclusive locking mode, which it can take only while no other connection is open (the service's pool is
    /// emptied first; its pollers may open one in between, so it tries again).
    /// </summary>
    private static SqliteConnection LockOut(MgAuthFactory factory)
    {
        _ = factory.Services;
        for (var attempt = 1; ; attempt++)
        {
            SqliteConnection.ClearAllPools();
            var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False") { DefaultTimeout = 1 };
            connection.Open();
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA busy_timeout=50; PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE;";
                command.ExecuteNonQuery();
                return connection;
            }
            catch (SqliteException) when (attempt < 100)
            {
                connection.Dispose();
                Thread.Sleep(20);
            }
        }
    }
}
