using System.Security.Cryptography;
using MgAuth.Api.Security;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>
/// Good keys locked out (issue 18, item 6): made-up keys from one address (a clinic behind one NAT, every caller behind a
/// proxy) used up the address's budget and every good key from it that authentication had not remembered got 429 for a
/// minute. A key now carries its id (<c>mga_&lt;id&gt;_&lt;secret&gt;</c>); ids are held in memory; only made-up keys count
/// against the address, a wrong secret counts against its key id, and a good key passes whatever its address sent.
/// </summary>
public sealed class FrontDoorKeyTests(FailedAuthLimitedFactory factory, LegacyKeyFactory legacy)
    : IClassFixture<FailedAuthLimitedFactory>, IClassFixture<LegacyKeyFactory>
{
    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A made-up key of the old form (no id).</summary>
    private static string MadeUpLegacy() => "mga_" + Secret();

    /// <summary>A made-up key of the new form: an id no key has.</summary>
    private static string MadeUpWithId() => $"mga_{ApiKeyFormat.NewId()}_{Secret()}";

    private static string NewAddress() => $"198.18.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 255)}";

    private static async Task<HttpStatusCode> StatusAsync(FailedAuthLimitedFactory f, string address, string? secret)
    {
        using var client = f.From(address, secret);
        using var response = await client.GetAsync("/v1/authorizations");
        return response.StatusCode;
    }

    /// <summary>The issue's 31 made-up keys (the budget and one more) from one address.</summary>
    private static async Task FloodAsync(FailedAuthLimitedFactory f, string address)
    {
        for (var i = 0; i < FailedAuthLimitedFactory.Budget; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(f, address, i % 2 == 0 ? MadeUpLegacy() : MadeUpWithId()));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(f, address, MadeUpLegacy()));
    }

    [Fact]
    public async Task After_the_issues_flood_of_made_up_keys_a_good_key_from_the_same_address_not_yet_remembered_is_answered()
    {
        var store = factory.Services.GetRequiredService<ApiKeys>();
        var issuedBefore = store.Create(TestKeys.OrgA, Roles.Provider, "NAT clinic desk 1", "1234567893");
        var address = NewAddress();

        await FloodAsync(factory, address);

        var cache = factory.Services.GetRequiredService<ApiKeyCache>();
        Assert.False(cache.Remembers(issuedBefore.Secret));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(factory, address, issuedBefore.Secret));
        var issuedAfter = store.Create(TestKeys.OrgA, Roles.Provider, "NAT clinic desk 2", "1234567893");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(factory, address, issuedAfter.Secret));
        // The attacker behind the same address is still refused.
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(factory, address, MadeUpWithId()));
    }

    [Fact]
    public async Task A_key_issued_by_another_process_passes_from_a_flooded_address_and_from_a_fresh_one()
    {
        _ = factory.Keys; // org A exists
        var address = NewAddress();
        await FloodAsync(factory, address);

        // Written as the CLI or another replica would: this process has not heard of it.
        string Insert(string name)
        {
            var id = ApiKeyFormat.NewId();
            var key = ApiKeyFormat.NewKey(id);
            factory.Execute("INSERT INTO api_keys (id, organization_id, role, name, npi, key_hash, created_at) VALUES (@id, @org, 'provider', @name, NULL, @hash, @now)",
                ("@id", id), ("@org", TestKeys.OrgA), ("@name", name), ("@hash", ApiKeyStore.Hash(key)), ("@now", DateTimeOffset.UtcNow.ToString("O")));
            Assert.False(factory.Services.GetRequiredService<KnownKeys>().Holds(id));
            return key;
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(factory, address, Insert("elsewhere 1")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(factory, NewAddress(), Insert("elsewhere 2")));
    }

    [Fact]
    public async Task A_flood_of_unknown_key_ids_is_still_answered_429_for_the_attacker_and_spends_only_its_address()
    {
        var address = NewAddress();
        for (var i = 0; i < FailedAuthLimitedFactory.Budget; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(factory, address, MadeUpWithId()));
        for (var i = 0; i < 3; i++)
        {
            using var client = factory.From(address, MadeUpWithId());
            using var refused = await client.GetAsync("/v1/authorizations");
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.EndsWith("/too-many-failed-authentications", (string)problem["type"]!);
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        }
        // A malformed key and no key at all are limited with it.
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(factory, address, "mga_key_zz_not-a-key"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(factory, address, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(factory, NewAddress(), MadeUpWithId()));
    }

    [Fact]
    public async Task Wrong_secrets_for_a_known_key_id_count_against_that_id_and_never_refuse_its_right_secret()
    {
        var key = factory.Services.GetRequiredService<ApiKeys>().Create(TestKeys.OrgA, Roles.Provider, "targeted", "1234567893");
        var wrong = () => $"mga_{key.Record.Id}_{Secret()}";
        var attacker = NewAddress();

        for (var i = 0; i < FailedAuthLimitedFactory.Budget; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(factory, i % 2 == 0 ? attacker : NewAddress(), wrong()));
        using (var client = factory.From(NewAddress(), wrong()))
        using (var refused = await client.GetAsync("/v1/authorizations"))
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Contains("key id", (string)problem["detail"]!);
        }

        // The key's holder, from the attacker's own address too, is answered; the address's budget was not spent.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(factory, attacker, key.Secret));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(factory, NewAddress(), key.Secret));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(factory, attacker, MadeUpWithId()));
    }

    [Fact]
    public void A_new_key_carries_its_id()
    {
        var key = factory.Services.GetRequiredService<ApiKeys>().Create(TestKeys.OrgB, Roles.Provider, "format", "1245319599");

        Assert.Matches("^key_[0-9a-f]{12}$", key.Record.Id);
        Assert.Matches("^mga_key_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", key.Secret);
        Assert.StartsWith($"mga_{key.Record.Id}_", key.Secret);
        Assert.Equal(key.Record.Id, ApiKeyFormat.IdOf(key.Secret));
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM api_keys WHERE id = @id AND key_hash = @hash",
            ("@id", key.Record.Id), ("@hash", ApiKeyStore.Hash(key.Secret))));
        Assert.Null(ApiKeyFormat.IdOf(MadeUpLegacy()));
    }

    [Fact]
    public async Task A_key_issued_before_keys_carried_ids_still_works_and_is_never_locked_out()
    {
        var address = NewAddress();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(legacy, NewAddress(), legacy.LegacySecret));
        legacy.ForgetCachedKeys();

        await FloodAsync(legacy, address);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(legacy, address, legacy.LegacySecret));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(legacy, address, MadeUpLegacy()));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_and_forgotten()
    {
        var store = factory.Services.GetRequiredService<ApiKeys>();
        var key = store.Create(TestKeys.OrgA, Roles.Provider, "revoked here", "1234567893");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(factory, NewAddress(), key.Secret));

        // Revoked by another process (the CLI): this one still holds it until authentication finds it revoked.
        factory.Execute("UPDATE api_keys SET revoked_at = @now WHERE id = @id", ("@now", DateTimeOffset.UtcNow.ToString("O")), ("@id", key.Record.Id));
        factory.ForgetCachedKeys();
        var known = factory.Services.GetRequiredService<KnownKeys>();
        Assert.True(known.Holds(key.Record.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(factory, NewAddress(), key.Secret));
        Assert.False(known.Holds(key.Record.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(factory, NewAddress(), key.Secret));

        var revokedHere = store.Create(TestKeys.OrgA, Roles.Provider, "revoked by this process", "1234567893");
        Assert.True(known.Holds(revokedHere.Record.Id));
        Assert.True(store.Revoke(revokedHere.Record.Id));
        Assert.False(known.Holds(revokedHere.Record.Id));
    }
}
