using System.Text.RegularExpressions;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace MgAuth.Api.Tests;

/// <summary>No PHI in logs: with every category logging at Trace, member ids, birth dates and clinical values never appear.</summary>
public sealed class LoggingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string MemberId = "M-PHI-58213";
    private const string BirthDate = "1944-07-19";
    private const string Weight = "83.47";

    private sealed class Logged(MgAuthFactory service, WebApplicationFactory<Program> factory, CapturingLoggerProvider logs) : IAsyncDisposable
    {
        public WebApplicationFactory<Program> Factory => factory;
        public CapturingLoggerProvider Logs => logs;
        public TestKeys Keys { get; } = TestKeys.Create(factory.Services);

        public HttpClient Client(IssuedKey? key)
        {
            var client = factory.CreateClient();
            if (key is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", key.Secret);
            return client;
        }

        public async ValueTask DisposeAsync()
        {
            await factory.DisposeAsync();
            await service.DisposeAsync();
        }
    }

    /// <summary>The service with a log provider that hears everything, at Trace, whatever the configured levels say.</summary>
    private static Logged StartWithTraceLogging(bool overrideLevels = true)
    {
        var logs = new CapturingLoggerProvider();
        var service = new MgAuthFactory();
        var factory = service.WithWebHostBuilder(b => b.ConfigureLogging(l =>
        {
            if (overrideLevels) l.SetMinimumLevel(LogLevel.Trace).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
            l.AddProvider(logs);
        }));
        return new Logged(service, factory, logs);
    }

    private static JsonObject MemberRequest(string example = Examples.Exacerbation)
    {
        var request = example == "missing-baselines" ? Examples.ExacerbationMissingBaselines(MemberId) : Examples.ForMember(example, MemberId);
        request["member"]!["birthDate"] = BirthDate;
        request["member"]!["weightKg"] = decimal.Parse(Weight, System.Globalization.CultureInfo.InvariantCulture);
        return request;
    }

    private void AssertNoMemberData(IReadOnlyList<string> lines)
    {
        Assert.NotEmpty(lines);
        var leaks = lines.Where(l => l.Contains(MemberId, StringComparison.Ordinal)
                                     || l.Contains(BirthDate, StringComparison.Ordinal)
                                     || Regex.IsMatch(l, $@"(?<![\d.]){Regex.Escape(Weight)}(?!\d)"))
            .ToArray();
        foreach (var leak in leaks) output.WriteLine(leak);
        Assert.True(leaks.Length == 0, $"{leaks.Length} of {lines.Count} log lines carry member data; first: {leaks.FirstOrDefault()}");
    }

    [Fact]
    public async Task Submissions_reads_and_errors_leave_no_member_data_in_the_logs()
    {
        await using var logged = StartWithTraceLogging();
        var client = logged.Client(logged.Keys.ProviderA);
        var request = MemberRequest();

        var approved = await client.SubmitCreatedAsync(request, "log-key-1");
        var pended = await client.SubmitCreatedAsync(MemberRequest("missing-baselines"));
        await client.SupplementOkAsync((string)pended["authorizationId"]!, Examples.BaselinesSupplement());
        (await client.SubmitAsync(request, "log-key-1")).Dispose();                  // idempotent replay
        await client.GetOkAsync($"/v1/authorizations/{approved["authorizationId"]}");
        await logged.Client(logged.Keys.Reviewer).GetOkAsync("/v1/authorizations?status=approved");
        (await client.PostJsonAsync("/v1/evaluate", request)).Dispose();
        // Errors: invalid, malformed, key reused, forbidden, unauthenticated, bad supplement.
        var invalid = request.DeepClone();
        invalid["member"]!["sex"] = "f";
        invalid["regimen"]!["infusionDays"] = 99;
        (await client.SubmitAsync(invalid)).Dispose();
        (await client.PostAsync("/v1/authorizations",
            Http.Json($"{{\"member\": {{\"id\": \"{MemberId}\", \"birthDate\": \"{BirthDate}\", \"weightKg\": {Weight},"))).Dispose();
        var changed = request.DeepClone();
        changed["regimen"]!["gramsPerDay"] = 25;
        (await client.SubmitAsync(changed, "log-key-1")).Dispose();
        (await logged.Client(logged.Keys.Reviewer).SubmitAsync(request)).Dispose();
        (await logged.Client(null).SubmitAsync(request)).Dispose();
        (await client.PostJsonAsync($"/v1/authorizations/{approved["authorizationId"]}/supplements", request)).Dispose();

        Assert.Contains(logged.Logs.Lines, l => l.StartsWith("Trace ", StringComparison.Ordinal) || l.StartsWith("Debug ", StringComparison.Ordinal));
        AssertNoMemberData(logged.Logs.Lines);
    }

    /// <summary>
    /// GET /v1/authorizations?memberId= puts the member id in the URL, and ASP.NET Core's request logging
    /// (Microsoft.AspNetCore.Hosting.Diagnostics, Information) writes the URL with its query string.
    /// </summary>
    [Fact]
    public async Task Listing_by_member_leaves_no_member_id_in_the_logs()
    {
        await using var logged = StartWithTraceLogging();
        var client = logged.Client(logged.Keys.ProviderA);
        await client.SubmitCreatedAsync(MemberRequest());

        await client.GetOkAsync($"/v1/authorizations?memberId={MemberId}");
        await logged.Client(logged.Keys.Reviewer).GetOkAsync($"/v1/authorizations?memberId={MemberId}&status=approved");
        (await logged.Client(null).GetAsync($"/v1/authorizations?memberId={MemberId}")).Dispose();

        AssertNoMemberData(logged.Logs.Lines);
    }

    [Fact]
    public async Task With_the_shipped_log_levels_listing_by_member_logs_no_member_id()
    {
        await using var logged = StartWithTraceLogging(overrideLevels: false);
        var client = logged.Client(logged.Keys.ProviderA);
        await client.SubmitCreatedAsync(MemberRequest());
        await client.GetOkAsync($"/v1/authorizations?memberId={MemberId}");
        (await client.GetAsync("/v1/authorizations?memberId=" + MemberId + "&page=0")).Dispose();

        var lines = logged.Logs.Lines;
        var leaks = lines.Where(l => l.Contains(MemberId, StringComparison.Ordinal) || l.Contains(BirthDate, StringComparison.Ordinal)).ToArray();
        Assert.Empty(leaks);
    }
}
