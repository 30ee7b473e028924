using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>Idempotency-Key: a retried submission answers with the first result and never stores a second case.</summary>
public sealed class IdempotencyTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static string NewKey() => "idem-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task The_same_key_and_body_answers_200_with_the_first_result_and_stores_nothing_more()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        var key = NewKey();
        var first = await factory.ProviderA.SubmitCreatedAsync(request, key);
        var before = factory.CountRows();

        using var again = await factory.ProviderA.SubmitAsync(request, key);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.JsonAsync();
        Assert.True(JsonNode.DeepEquals(first, second), $"first {first}\nsecond {second}");
        Assert.Equal(before, factory.CountRows());
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE idempotency_key = @key", ("@key", key)));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_and_stores_nothing()
    {
        var key = NewKey();
        var request = Examples.ForNewMember(Examples.Exacerbation);
        await factory.ProviderA.SubmitCreatedAsync(request, key);
        var before = factory.CountRows();

        request["regimen"]!["gramsPerDay"] = 25;
        using var response = await factory.ProviderA.SubmitAsync(request, key);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public async Task Twenty_concurrent_identical_submissions_store_exactly_one_case()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        var member = (string)request["member"]!["id"]!;
        var key = NewKey();
        var client = factory.ProviderA;
        using var start = new ManualResetEventSlim(false);

        var submissions = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await client.SubmitAsync(request, key);
            return (response.StatusCode, Body: await response.JsonAsync());
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(submissions);

        Assert.All(results, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)r.StatusCode}: {r.Body}"));
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(results.Select(r => (string)r.Body["authorizationId"]!).Distinct());
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE member_id = @m", ("@m", member)));
        Assert.Equal(1, factory.ScalarLong(
            "SELECT COUNT(*) FROM revisions r JOIN authorizations a ON a.id = r.authorization_id WHERE a.member_id = @m", ("@m", member)));
        // Every answer is the one stored decision (approved: nobody saw a duplicate's OVERLAPPING_AUTHORIZATION).
        Assert.All(results, r => Assert.Equal("approve", (string)r.Body["decision"]!));
    }

    [Fact]
    public async Task Submissions_without_a_key_are_separate_cases()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        var first = await factory.ProviderA.SubmitCreatedAsync(request);
        var second = await factory.ProviderA.SubmitCreatedAsync(request);
        Assert.NotEqual((string)first["authorizationId"]!, (string)second["authorizationId"]!);
    }

    [Fact]
    public async Task An_overlong_key_is_400_and_stores_nothing()
    {
        var before = factory.CountRows();
        using var response = await factory.ProviderA.SubmitAsync(Examples.ForNewMember(Examples.Exacerbation), new string('k', 201));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, factory.CountRows());
    }
}
