using System.Diagnostics;
using System.Text;
using MgAuth.Api.Tests.Support;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static MgAuth.Api.Tests.Support.CrdCalls;

namespace MgAuth.Api.Tests.Crd;

/// <summary>
/// Missing prefetch read from the EHR's <c>fhirServer</c> with its <c>fhirAuthorization</c> token (CDS Hooks 2.0): the same
/// answer as with the prefetch sent, 412 only when neither serves; and the attacker's tries — a fhirServer on loopback,
/// link-local metadata or a private address, plain http, a huge or slow answer, a path escaping the server — refused
/// before (or while) reading, with the token and the patient's id never in the logs.
/// </summary>
public sealed class FhirServerPrefetchTests(FhirServerFactory factory) : IClassFixture<FhirServerFactory>
{
    private FhirServerStub Server => factory.FhirServer;

    private static JsonObject IvigHook() => HookRequestOf(Examples.ForNewMember(Examples.Exacerbation));

    [Fact]
    public async Task Without_prefetch_the_fhirServer_is_read_with_the_bearer_token_and_the_answer_is_the_prefetched_one()
    {
        var hook = IvigHook();
        var expected = Updated(await factory.ProviderA.OrderSignOkAsync(hook)).Information;
        Server.Requests.Clear();

        var answer = await factory.ProviderA.OrderSignOkAsync(Server.ServeInstead((JsonObject)hook.DeepClone()));

        var information = Updated(answer).Information;
        Assert.Equal(expected.Code("covered"), information.Code("covered"));
        Assert.Equal(CoverageInformation.MissingFields(expected), CoverageInformation.MissingFields(information));
        var requests = Server.Requests.ToArray();
        Assert.Equal(OrderSignReader.Prefetch.Count, requests.Length);
        Assert.All(requests, r => Assert.Equal("Bearer " + FhirServerStub.Token, r.Authorization));
        Assert.All(requests, r => Assert.StartsWith(FhirServerStub.Base + "/", r.Url.AbsoluteUri));
        var patientId = (string)hook["context"]!["patientId"]!;
        Assert.Contains(requests, r => r.Url.AbsoluteUri == $"{FhirServerStub.Base}/Patient/{patientId}");
        Assert.Contains(requests, r => r.Url.AbsoluteUri == $"{FhirServerStub.Base}/Coverage?patient={patientId}&status=active");
    }

    [Fact]
    public async Task Only_the_absent_keys_are_read()
    {
        var hook = IvigHook();
        var patient = hook["prefetch"]!["patient"]!.DeepClone();
        Server.ServeInstead(hook);
        hook["prefetch"] = new JsonObject { ["patient"] = patient };
        Server.Requests.Clear();

        await factory.ProviderA.OrderSignOkAsync(hook);

        Assert.DoesNotContain(Server.Requests, r => r.Url.AbsolutePath.Contains("/Patient/", StringComparison.Ordinal));
        Assert.Contains(Server.Requests, r => r.Url.AbsolutePath.EndsWith("/Coverage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Neither_prefetch_nor_a_fhirServer_is_412_and_a_fhirServer_that_cannot_serve_is_412_too()
    {
        var hook = IvigHook();
        hook["prefetch"]!.AsObject().Remove("coverage");
        using (var neither = await factory.ProviderA.PostHookAsync(hook))
        {
            var problem = await neither.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
            Assert.True(problem["errors"]!.AsObject().ContainsKey("prefetch.coverage"));
            Assert.Contains("names no fhirServer", (string)problem["detail"]!);
        }

        var served = Server.ServeInstead(IvigHook());
        Server.Answer = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden));
        using var refused = await factory.ProviderA.PostHookAsync(served);
        await refused.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    public static TheoryData<string, string> RefusedServers() => new()
    {
        { "loopback", "https://127.0.0.1/fhir" },
        { "cloud metadata", "https://169.254.169.254/latest/meta-data" },
        { "private network", "https://10.0.0.7/fhir" },
        { "IPv6 loopback", "https://[::1]/fhir" },
        { "localhost", "https://localhost:8443/fhir" },
        { "plain http", "http://ehr.example/fhir" },
        { "not a URL", "ehr.example/fhir" },
        { "credentials in the URL", "https://user:pass@ehr.example/fhir" },
    };

    [Theory]
    [MemberData(nameof(RefusedServers))]
    public async Task A_fhirServer_into_the_payers_own_network_is_never_read(string what, string url)
    {
        var hook = Server.ServeInstead(IvigHook());
        hook["fhirServer"] = url;
        Server.Requests.Clear();

        using var response = await factory.ProviderA.PostHookAsync(hook);

        var problem = await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Contains("fhirServer", (string)problem["detail"]!);
        Assert.True(Server.Requests.IsEmpty, $"{what}: {Server.Requests.Count} request(s) went out");
    }

    [Fact]
    public async Task Without_a_fhirAuthorization_token_the_fhirServer_is_not_read()
    {
        var hook = Server.ServeInstead(IvigHook());
        hook.Remove("fhirAuthorization");
        Server.Requests.Clear();

        using var response = await factory.ProviderA.PostHookAsync(hook);

        Assert.Contains("fhirAuthorization", (string)(await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed))["detail"]!);
        Assert.True(Server.Requests.IsEmpty);
    }

    public static TheoryData<string, string> BadAuthorizations() => new()
    {
        { "a token with a line break (a second header)", "{\"access_token\": \"abc\\r\\nX-Injected: 1\", \"token_type\": \"Bearer\"}" },
        { "a token beyond ASCII", "{\"access_token\": \"t\u00f6ken\", \"token_type\": \"Bearer\"}" },
        { "a token type that is a number", "{\"access_token\": \"abc\", \"token_type\": 7}" },
        { "another token type", "{\"access_token\": \"abc\", \"token_type\": \"MAC\"}" },
        { "a token that is not a string", "{\"access_token\": {\"a\": 1}}" },
        { "not an object", "\"abc\"" },
    };

    [Theory]
    [MemberData(nameof(BadAuthorizations))]
    public async Task A_fhirAuthorization_that_is_not_a_bearer_token_is_412_never_a_500_and_nothing_is_sent(string what, string authorization)
    {
        var hook = Server.ServeInstead(IvigHook());
        hook["fhirAuthorization"] = JsonNode.Parse(authorization);
        Server.Requests.Clear();

        using var response = await factory.ProviderA.PostHookAsync(hook);

        Assert.True(response.StatusCode == HttpStatusCode.PreconditionFailed, $"{what}: {(int)response.StatusCode}");
        Assert.True(Server.Requests.IsEmpty, what);
    }

    [Fact]
    public async Task A_hook_request_naming_a_property_twice_is_400_never_a_500()
    {
        var body = IvigHook().ToJsonString();
        var twice = "{\"fhirServer\": \"https://a.example/fhir\", \"fhirServer\": \"https://b.example/fhir\", " + body[1..];
        twice = twice.Replace("\"prefetch\":", "\"unused\": 1, \"unused\": 2, \"prefetch\":", StringComparison.Ordinal);

        using var response = await factory.ProviderA.PostAsync(CrdCalls.OrderSign, new StringContent(twice, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_fhirServer_answer_naming_a_property_twice_is_not_used()
    {
        var hook = Server.ServeInstead(IvigHook());
        var serve = Server.Answer;
        Server.Answer = async (request, cancellationToken) =>
        {
            var answer = await serve(request, cancellationToken);
            if (!request.RequestUri!.AbsolutePath.EndsWith("/Coverage", StringComparison.Ordinal)) return answer;
            var json = await answer.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("{\"resourceType\": \"Bundle\", " + json[1..], Encoding.UTF8, "application/fhir+json"),
            };
        };

        using var response = await factory.ProviderA.PostHookAsync(hook);

        Assert.True(((JsonObject)(await response.JsonAsync()))["errors"]!.AsObject().ContainsKey("prefetch.coverage"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
    }

    [Fact]
    public async Task A_patient_id_that_climbs_out_of_the_fhirServers_path_is_escaped()
    {
        var hook = Server.ServeInstead(IvigHook());
        hook["context"]!["patientId"] = "../../admin";
        Server.Requests.Clear();

        using var response = await factory.ProviderA.PostHookAsync(hook);

        Assert.NotEmpty(Server.Requests);
        Assert.All(Server.Requests, r => Assert.StartsWith("/fhir/", r.Url.AbsolutePath));
        Assert.DoesNotContain(Server.Requests, r => r.Url.AbsolutePath.Contains("/admin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_huge_answer_is_cut_off_at_the_cap_and_the_call_is_412_not_an_out_of_memory()
    {
        var hook = Server.ServeInstead(IvigHook());
        var serve = Server.Answer;
        var sent = 0L;
        Server.Answer = async (request, cancellationToken) =>
        {
            if (!request.RequestUri!.AbsolutePath.EndsWith("/Coverage", StringComparison.Ordinal)) return await serve(request, cancellationToken);
            // 64 MB of a JSON string, streamed without a length: only the cap stops it.
            var stream = new EndlessJson(64L * 1024 * 1024, n => Interlocked.Add(ref sent, n));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) };
        };
        var stopwatch = Stopwatch.StartNew();

        using var response = await factory.ProviderA.PostHookAsync(hook);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.InRange(Interlocked.Read(ref sent), 1, 1024 * 1024);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), stopwatch.Elapsed.ToString());
    }

    [Fact]
    public async Task A_fhirServer_that_never_answers_costs_at_most_the_configured_time()
    {
        var hook = Server.ServeInstead(IvigHook());
        Server.Answer = async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromMinutes(5), cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        var stopwatch = Stopwatch.StartNew();

        using var response = await factory.ProviderA.PostHookAsync(hook);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), stopwatch.Elapsed.ToString());
    }

    [Fact]
    public async Task The_fhirAuthorization_token_and_the_patient_never_reach_the_logs()
    {
        var logs = new CapturingLoggerProvider();
        await using var service = new FhirServerFactory();
        await using var logged = service.WithWebHostBuilder(b => b.ConfigureLogging(l =>
            l.SetMinimumLevel(LogLevel.Trace).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace).AddProvider(logs)));
        var client = logged.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestKeys.Create(logged.Services).ProviderA.Secret);
        var hook = service.FhirServer.ServeInstead(IvigHook());
        var patientId = (string)hook["context"]!["patientId"]!;

        await client.OrderSignOkAsync(hook);
        service.FhirServer.Answer = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized));
        (await client.PostHookAsync(hook)).Dispose();
        hook["fhirServer"] = "https://169.254.169.254/latest";
        (await client.PostHookAsync(hook)).Dispose();

        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, l => l.Contains("CDS Hooks prefetch", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(FhirServerStub.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(patientId, StringComparison.Ordinal));
    }

    /// <summary>A JSON string of <c>length</c> bytes, made as it is read; reports what it handed out.</summary>
    private sealed class EndlessJson(long length, Action<long> sent) : Stream
    {
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= length) return 0;
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++) buffer[offset + i] = _position + i == 0 ? (byte)'"' : (byte)'x';
            _position += n;
            sent(n);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
