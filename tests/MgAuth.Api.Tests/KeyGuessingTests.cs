using MgAuth.Api.Security;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>
/// Guessing keys (issue 11, item 5): an address that keeps sending bad or no keys is answered 429 before any key is
/// looked up; good keys are not limited, nor refused from a blocked address (issue 18); only good keys are remembered,
/// briefly and a bounded number of them.
/// </summary>
public sealed class KeyGuessingTests(FailedAuthLimitedFactory factory, SmallKeyCacheFactory small, ManualClockFactory clocked)
    : IClassFixture<FailedAuthLimitedFactory>, IClassFixture<SmallKeyCacheFactory>, IClassFixture<ManualClockFactory>
{
    private static string Guess() => "mga_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');

    private static string NewAddress() => $"198.51.100.{Random.Shared.Next(1, 255)}";

    private ApiKeyCache Cache(MgAuthFactory f) => f.Services.GetRequiredService<ApiKeyCache>();

    [Fact]
    public async Task A_thousand_guessed_keys_from_one_address_are_429_after_the_budget_and_never_looked_up()
    {
        const string address = "203.0.113.7";
        var cache = Cache(factory);
        var lookupsBefore = cache.Lookups;
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;

        for (var i = 0; i < 1000; i++)
        {
            using var client = factory.From(address, Guess());
            var response = await client.GetAsync("/v1/authorizations");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && refused is null) refused = response;
            else response.Dispose();
        }

        var unauthorized = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.Equal(1000, unauthorized + limited);
        // The budget, and at most one more if the minute turned during the test.
        Assert.InRange(unauthorized, FailedAuthLimitedFactory.Budget, 2 * FailedAuthLimitedFactory.Budget);
        Assert.All(statuses.Take(FailedAuthLimitedFactory.Budget), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        // Every 429 was answered without the key store: only the 401s looked a key up, and nothing was remembered.
        Assert.Equal(unauthorized, cache.Lookups - lookupsBefore);
        Assert.Equal(0, cache.Count);
        Assert.NotNull(refused);
        using (refused)
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.EndsWith("/too-many-failed-authentications", (string)problem["type"]!);
            Assert.True(refused.Headers.RetryAfter?.Delta is { } wait && wait >= TimeSpan.FromSeconds(1) && wait <= TimeSpan.FromMinutes(1),
                $"Retry-After {refused.Headers.RetryAfter}");
        }
    }

    [Fact]
    public async Task Requests_without_a_key_use_up_the_budget_too_but_open_endpoints_still_answer()
    {
        using var anonymous = factory.From(NewAddress(), null);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < FailedAuthLimitedFactory.Budget + 3; i++)
        {
            using var response = await anonymous.GetAsync("/v1/authorizations");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        using var health = await anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Good_keys_are_not_limited_and_a_blocked_address_blocks_only_itself()
    {
        var good = factory.Keys.ProviderA.Secret;
        const string blocked = "192.0.2.10";
        using var fromBlocked = factory.From(blocked, good);
        // Many good requests take nothing from the address's budget.
        for (var i = 0; i < 4 * FailedAuthLimitedFactory.Budget; i++)
        {
            using var ok = await fromBlocked.GetAsync("/v1/authorizations");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        for (var i = 0; i < FailedAuthLimitedFactory.Budget; i++)
        {
            using var guess = factory.From(blocked, Guess());
            using var response = await guess.GetAsync("/v1/authorizations");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using (var guess = factory.From(blocked, Guess()))
        using (var response = await guess.GetAsync("/v1/authorizations"))
            await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);

        // A key authentication remembers passes; so does one it has not remembered (issue 18: a good key is never
        // refused for what others sent from its address).
        using (var remembered = await fromBlocked.GetAsync("/v1/authorizations"))
            Assert.Equal(HttpStatusCode.OK, remembered.StatusCode);
        var fresh = factory.Services.GetRequiredService<ApiKeys>().Create(TestKeys.OrgA, Roles.Provider, "fresh", "1234567893");
        using (var unknownYet = factory.From(blocked, fresh.Secret))
        using (var response = await unknownYet.GetAsync("/v1/authorizations"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Another address is not affected.
        using var elsewhere = factory.From("192.0.2.11", fresh.Secret);
        using var answered = await elsewhere.GetAsync("/v1/authorizations");
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task A_key_issued_after_a_failed_attempt_with_its_secret_works_at_once()
    {
        _ = factory.Keys; // org A exists
        var secret = Guess();
        using var client = factory.From(NewAddress(), secret);
        using (var before = await client.GetAsync("/v1/authorizations"))
            await before.AssertProblemAsync(HttpStatusCode.Unauthorized);

        factory.Execute("INSERT INTO api_keys (id, organization_id, role, name, npi, key_hash, created_at) VALUES (@id, @org, 'provider', 'late', NULL, @hash, @now)",
            ("@id", "key_late" + Guid.NewGuid().ToString("N")[..6]), ("@org", TestKeys.OrgA), ("@hash", ApiKeyStore.Hash(secret)),
            ("@now", DateTimeOffset.UtcNow.ToString("O")));

        using var after = await client.GetAsync("/v1/authorizations");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_key_revoked_by_another_process_stops_working_when_its_remembered_entry_expires()
    {
        var store = clocked.Services.GetRequiredService<ApiKeys>();
        var key = store.Create(TestKeys.OrgA, Roles.Provider, "to be revoked", "1234567893");
        using var client = clocked.ClientFor(key);
        using (var ok = await client.GetAsync("/v1/authorizations"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        // As `mgauth keys revoke` or another replica would (a revocation by this process takes effect at once).
        clocked.Execute("UPDATE api_keys SET revoked_at = @now WHERE id = @id", ("@now", DateTimeOffset.UtcNow.ToString("O")), ("@id", key.Record.Id));
        clocked.Clock.Advance(TimeSpan.FromSeconds(5));
        using (var remembered = await client.GetAsync("/v1/authorizations"))
            Assert.Equal(HttpStatusCode.OK, remembered.StatusCode); // within the 10 s it is remembered
        clocked.Clock.Advance(TimeSpan.FromSeconds(6));

        using var refused = await client.GetAsync("/v1/authorizations");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_remembered_keys_are_bounded()
    {
        var store = small.Services.GetRequiredService<ApiKeys>();
        for (var i = 0; i < SmallKeyCacheFactory.Entries + 4; i++)
        {
            using var client = small.ClientFor(store.Create(TestKeys.OrgA, Roles.Provider, $"key {i}", "1234567893"));
            using var response = await client.GetAsync("/v1/authorizations");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.InRange(Cache(small).Count, 1, SmallKeyCacheFactory.Entries);
    }
}
