using System.Net.Http.Headers;
using System.Text;
using MgAuth.Cases.Authorizations;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>What the service refuses before deciding anything: big bodies, floods, non-JSON, bad JSON, bad requests. None stores a thing.</summary>
public sealed class LimitsTests(MgAuthFactory factory, SmallBodyFactory small, RateLimitedFactory limited)
    : IClassFixture<MgAuthFactory>, IClassFixture<SmallBodyFactory>, IClassFixture<RateLimitedFactory>
{
    [Fact]
    public async Task A_body_over_the_limit_is_413_and_stores_nothing()
    {
        var body = Examples.ForNewMember(Examples.Exacerbation).ToJsonString();
        Assert.True(Encoding.UTF8.GetByteCount(body) > SmallBodyFactory.MaxBytes);
        var before = small.CountRows();

        using var response = await small.ProviderA.PostAsync("/v1/authorizations", Http.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, small.CountRows());
    }

    [Fact]
    public async Task A_body_over_the_limit_without_a_length_is_413_and_stores_nothing()
    {
        var body = Encoding.UTF8.GetBytes(Examples.ForNewMember(Examples.Exacerbation).ToJsonString());
        var before = small.CountRows();

        using var response = await small.ProviderA.PostAsync("/v1/authorizations", new UnknownLengthContent(body));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, small.CountRows());
    }

    [Fact]
    public async Task A_body_without_a_length_sent_in_pieces_across_the_read_buffer_is_decided_as_with_a_length()
    {
        // Past the pooled 16 KB read chunk several times (JSON allows the whitespace), in pieces that straddle its edges.
        var request = Examples.ForNewMember(Examples.Exacerbation).ToJsonString();
        var padded = Encoding.UTF8.GetBytes(request.Insert(1, new string(' ', 40 * 1024)));

        using var chunked = await factory.ProviderA.PostAsync("/v1/evaluate", new UnknownLengthContent(padded, pieceBytes: 999));
        using var declared = await factory.ProviderA.PostAsync("/v1/evaluate", Http.Json(request));

        Assert.Equal(HttpStatusCode.OK, chunked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        var (a, b) = (JsonNode.Parse(await chunked.Content.ReadAsStringAsync())!, JsonNode.Parse(await declared.Content.ReadAsStringAsync())!);
        Assert.Equal(b["decision"]!.ToJsonString(), a["decision"]!.ToJsonString());
        Assert.Equal(b["reasons"]!.ToJsonString(), a["reasons"]!.ToJsonString());
    }

    [Fact]
    public async Task Evaluate_refuses_a_body_over_the_limit()
    {
        using var response = await small.ProviderA.PostAsync("/v1/evaluate", Http.Json(Examples.ForNewMember(Examples.Exacerbation)));
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_supplement_over_the_limit_is_413_and_stores_nothing()
    {
        // The case itself is too big to submit through this service's front door: store it through the service class.
        var service = small.Services.GetRequiredService<AuthorizationService>();
        var provider = small.Keys.ProviderA.Record;
        var outcome = await service.SubmitAsync(Encoding.UTF8.GetBytes(Examples.ExacerbationMissingBaselines().ToJsonString()),
            provider.OrganizationId, new Actor(provider.Id, provider.Role), idempotencyKey: null);
        Assert.False(outcome.Value.Replayed);
        var id = outcome.Value.Decision.AuthorizationId;
        var patch = Examples.BaselinesSupplement();
        patch["regimen"] = new JsonObject { ["product"] = new string('x', SmallBodyFactory.MaxBytes) };
        var before = small.CountRows();

        using var response = await small.ProviderA.PostJsonAsync($"/v1/authorizations/{id}/supplements", patch);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, small.CountRows());
    }

    [Fact]
    public async Task A_key_over_its_rate_is_429_with_retry_after()
    {
        var client = limited.ClientFor(limited.Services.GetRequiredService<ApiKeys>().Create("org-rl", Roles.Provider, "flood"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAsync("/v1/policies")));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.NotEmpty(refused);
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) >= 2);
        foreach (var response in refused)
        {
            var retryAfter = response.Headers.RetryAfter;
            Assert.NotNull(retryAfter);
            Assert.True(retryAfter.Delta >= TimeSpan.FromSeconds(1), $"Retry-After {retryAfter}");
            await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        }
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task The_rate_is_per_key()
    {
        var keys = limited.Services.GetRequiredService<ApiKeys>();
        var flooding = limited.ClientFor(keys.Create("org-rl", Roles.Provider, "flood"));
        var quiet = limited.ClientFor(keys.Create("org-rl", Roles.Provider, "quiet"));
        for (var i = 0; i < 5; i++) (await flooding.GetAsync("/v1/policies")).Dispose();

        using var response = await quiet.GetAsync("/v1/policies");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_refused_submission_over_the_rate_stores_nothing()
    {
        var client = limited.ClientFor(limited.Services.GetRequiredService<ApiKeys>().Create("org-rl2", Roles.Provider, "flood"));
        var before = limited.CountRows();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await client.SubmitAsync(Examples.ForNewMember(Examples.Exacerbation));
            return response.StatusCode;
        }));

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.TooManyRequests, s.ToString()));
        var created = statuses.Count(s => s == HttpStatusCode.Created);
        Assert.Equal(before.Authorizations + created, limited.CountRows().Authorizations);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData(null)]
    public async Task A_body_that_is_not_json_is_415_and_stores_nothing(string? contentType)
    {
        var before = factory.CountRows();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Examples.ForNewMember(Examples.Exacerbation).ToJsonString()));
        if (contentType is not null) content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await factory.ProviderA.PostAsync("/v1/authorizations", content);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, factory.CountRows());
    }

    [Theory]
    [InlineData("{\"urgency\": \"standard\", ")]
    [InlineData("{\"member\": {\"id\": 'M-1'}}")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[]")]
    public async Task Malformed_json_is_400_with_a_problem_and_stores_nothing(string body)
    {
        var before = factory.CountRows();

        using var response = await factory.ProviderA.PostAsync("/v1/authorizations", Http.Json(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem["errors"]!.AsObject());
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public async Task An_unknown_field_is_400_naming_its_path_and_stores_nothing()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        request["clinical"]!["mgAdl"]!["baselin"] = 6;
        request["regimen"]!["dose"] = 30;
        request["extra"] = true;
        var before = factory.CountRows();

        using var response = await factory.ProviderA.SubmitAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("clinical.mgAdl.baselin"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("regimen.dose"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("extra"), errors.ToJsonString());
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public async Task An_invalid_request_is_400_naming_every_bad_field_and_stores_nothing()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        request["member"]!.AsObject().Remove("id");
        request["member"]!["birthDate"] = "2999-01-01";
        request["member"]!["sex"] = "f";
        request["member"]!["weightKg"] = 1000;
        request["diagnosis"]!["mgfaClass"] = "VI";
        request["regimen"]!["infusionDays"] = 30;
        request["regimen"]!["gramsPerDay"] = "thirty";
        request["urgency"] = "urgent";
        var before = factory.CountRows();

        using var response = await factory.ProviderA.SubmitAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        string[] expected = ["member.id", "member.birthDate", "member.sex", "member.weightKg", "diagnosis.mgfaClass",
            "regimen.infusionDays", "regimen.gramsPerDay", "urgency"];
        Assert.All(expected, field => Assert.True(errors.ContainsKey(field), $"{field} missing from {errors.ToJsonString()}"));
        Assert.All(errors, e => Assert.NotEmpty(e.Value!.AsArray()));
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public async Task An_unknown_policy_is_400_and_stores_nothing()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        request["policyId"] = "no-such-policy";
        var before = factory.CountRows();

        using var response = await factory.ProviderA.SubmitAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("policyId"));
        Assert.Equal(before, factory.CountRows());
    }

    /// <summary>A body sent without Content-Length (chunked), so the service cannot refuse it by its header.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly int _pieceBytes;

        /// <param name="pieceBytes">sent in writes of this size, flushed one by one (all at once when 0)</param>
        public UnknownLengthContent(byte[] bytes, int pieceBytes = 0)
        {
            _bytes = bytes;
            _pieceBytes = pieceBytes > 0 ? pieceBytes : bytes.Length;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var at = 0; at < _bytes.Length; at += _pieceBytes)
            {
                await stream.WriteAsync(_bytes.AsMemory(at, Math.Min(_pieceBytes, _bytes.Length - at)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
