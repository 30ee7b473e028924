using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>Who may call what: keys stored only as hashes, roles on every endpoint, organizations kept apart, revoked keys refused.</summary>
public sealed class AccessControlTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private const string NoSuchRelease = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// Every endpoint the service maps: its route pattern, and how a test calls it. {pended} and {approved} become org A's
    /// cases. Calls are harmless for the roles allowed (a rule-pack publish or impact without a pack is 400, an unknown
    /// release 404, a rollback with nothing before it 409), so the table can run in any order.
    /// </summary>
    public static IReadOnlyDictionary<string, (HttpMethod Method, string Route, string Url, Func<JsonNode>? Body)> Endpoints { get; } =
        new Dictionary<string, (HttpMethod, string, string, Func<JsonNode>?)>
        {
            ["submit"] = (HttpMethod.Post, "/v1/authorizations", "/v1/authorizations", () => Examples.ForNewMember(Examples.Exacerbation)),
            ["get"] = (HttpMethod.Get, "/v1/authorizations/{id}", "/v1/authorizations/{approved}", null),
            ["list"] = (HttpMethod.Get, "/v1/authorizations", "/v1/authorizations?status=approved", null),
            ["supplement"] = (HttpMethod.Post, "/v1/authorizations/{id}/supplements", "/v1/authorizations/{pended}/supplements", Examples.BaselinesSupplement),
            ["explain"] = (HttpMethod.Get, "/v1/authorizations/{id}/explain", "/v1/authorizations/{approved}/explain", null),
            ["request"] = (HttpMethod.Get, "/v1/authorizations/{id}/request", "/v1/authorizations/{approved}/request", null),
            ["evaluate"] = (HttpMethod.Post, "/v1/evaluate", "/v1/evaluate", () => Examples.ForNewMember(Examples.Exacerbation)),
            ["policies"] = (HttpMethod.Get, "/v1/policies", "/v1/policies", null),
            ["policy"] = (HttpMethod.Get, "/v1/policies/{id}", "/v1/policies/ivig-mg-standard", null),
            ["metrics"] = (HttpMethod.Get, "/v1/metrics/prior-auth", "/v1/metrics/prior-auth?from=2026-01-01&to=2027-12-31", null),
            ["rulepacks"] = (HttpMethod.Get, "/v1/rulepacks", "/v1/rulepacks", null),
            ["rulepacks-publish"] = (HttpMethod.Post, "/v1/rulepacks", "/v1/rulepacks", () => new JsonObject()),
            ["rulepacks-activate"] = (HttpMethod.Post, "/v1/rulepacks/{sha256}/activate", $"/v1/rulepacks/{NoSuchRelease}/activate", null),
            ["rulepacks-rollback"] = (HttpMethod.Post, "/v1/rulepacks/rollback", "/v1/rulepacks/rollback", null),
            ["rulepacks-impact"] = (HttpMethod.Post, "/v1/rulepacks/impact", "/v1/rulepacks/impact", () => new JsonObject()),
            ["rulepacks-audit"] = (HttpMethod.Get, "/v1/rulepacks/audit", "/v1/rulepacks/audit", null),
            ["review-queue"] = (HttpMethod.Get, "/v1/review-queue", "/v1/review-queue", null),
            ["claim"] = (HttpMethod.Post, "/v1/authorizations/{id}/claim", "/v1/authorizations/{pended}/claim", null),
            ["claim-read"] = (HttpMethod.Get, "/v1/authorizations/{id}/claim", "/v1/authorizations/{pended}/claim", null),
            ["claim-release"] = (HttpMethod.Delete, "/v1/authorizations/{id}/claim", "/v1/authorizations/{pended}/claim", null),
            ["determination"] = (HttpMethod.Post, "/v1/authorizations/{id}/determination", "/v1/authorizations/{pended}/determination", () => new JsonObject()),
            ["appeal"] = (HttpMethod.Post, "/v1/authorizations/{id}/appeals", "/v1/authorizations/{approved}/appeals", () => new JsonObject()),
            ["history"] = (HttpMethod.Get, "/v1/authorizations/{id}/history", "/v1/authorizations/{approved}/history", null),
            ["notice"] = (HttpMethod.Get, "/v1/authorizations/{id}/notice", "/v1/authorizations/{approved}/notice", null),
            ["subscription-deliveries"] = (HttpMethod.Get, "/v1/subscriptions/{id}/deliveries", "/v1/subscriptions/no-such-subscription/deliveries", null),
        };

    private static readonly string[] RoleNames = [Roles.Provider, Roles.Reviewer, Roles.Clinician, Roles.PolicyAuthor, Roles.PolicyApprover, Roles.Admin];

    /// <summary>The status each role gets from each endpoint: the access matrix of the service.</summary>
    private static readonly Dictionary<string, int[]> Matrix = new()
    {
        //                        provider reviewer clinician policy_author policy_approver admin
        ["submit"] =             [201, 403, 403, 403, 403, 403],
        ["get"] =                [200, 200, 200, 403, 403, 200],
        ["list"] =               [200, 200, 200, 403, 403, 200],
        ["supplement"] =         [200, 403, 403, 403, 403, 403],
        ["explain"] =            [200, 200, 200, 403, 403, 200],
        ["request"] =            [200, 200, 200, 403, 403, 200],
        ["evaluate"] =           [200, 200, 200, 200, 200, 200],
        ["policies"] =           [200, 200, 200, 200, 200, 200],
        ["policy"] =             [200, 200, 200, 200, 200, 200],
        ["metrics"] =            [403, 200, 200, 200, 200, 200],
        ["rulepacks"] =          [403, 200, 200, 200, 200, 200],
        ["rulepacks-publish"] =  [403, 403, 403, 400, 403, 400],
        ["rulepacks-activate"] = [403, 403, 403, 403, 404, 403],
        ["rulepacks-rollback"] = [403, 403, 403, 403, 409, 403],
        ["rulepacks-impact"] =   [403, 403, 403, 400, 400, 400],
        ["rulepacks-audit"] =    [403, 200, 200, 200, 200, 200],
        // Review: a fresh pended case is claimed (200), read unclaimed (204), released with no claim (204); a determination
        // without If-Match is 428; an appeal without a reason 400.
        ["review-queue"] =       [403, 200, 200, 403, 403, 200],
        ["claim"] =              [403, 200, 200, 403, 403, 403],
        ["claim-read"] =         [403, 204, 204, 403, 403, 204],
        ["claim-release"] =      [403, 204, 204, 403, 403, 204],
        ["determination"] =      [403, 428, 428, 403, 403, 403],
        ["appeal"] =             [400, 403, 403, 403, 403, 403],
        ["history"] =            [200, 200, 200, 403, 403, 200],
        ["notice"] =             [200, 200, 200, 403, 403, 200],
        // A subscription no one holds: 404 for those who may read subscriptions.
        ["subscription-deliveries"] = [404, 404, 404, 403, 403, 404],
    };

    public static TheoryData<string, string, int> EveryEndpointAndRole()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (endpoint, statuses) in Matrix)
            for (var i = 0; i < RoleNames.Length; i++)
                data.Add(endpoint, RoleNames[i], statuses[i]);
        return data;
    }

    public static TheoryData<string> EveryEndpoint() => new(Endpoints.Keys);

    /// <summary>Every endpoint that takes a case id and that a provider may call.</summary>
    public static TheoryData<string> EveryProviderEndpointWithAnId() =>
        new(Endpoints.Where(e => e.Value.Route.StartsWith("/v1/authorizations/{id}", StringComparison.Ordinal) && Matrix[e.Key][0] != 403).Select(e => e.Key));

    private async Task<HttpResponseMessage> CallAsync(HttpClient client, string endpoint)
    {
        var (method, _, url, body) = Endpoints[endpoint];
        if (url.Contains("{approved}"))
            url = url.Replace("{approved}", (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation)))["authorizationId"]!);
        if (url.Contains("{pended}"))
            url = url.Replace("{pended}", (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines()))["authorizationId"]!);
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = Http.Json(body());
        return await client.SendAsync(request);
    }

    [Fact]
    public void The_matrix_covers_every_endpoint_the_service_maps()
    {
        var mapped = factory.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Distinct().Order().ToArray();
        var covered = Endpoints.Values.Select(e => $"{e.Method.Method} {e.Route}").Distinct().Order().ToArray();
        Assert.Equal(mapped, covered);
        Assert.Equal(Endpoints.Keys.Order(), Matrix.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(EveryEndpointAndRole))]
    public async Task Each_role_gets_what_the_matrix_says(string endpoint, string role, int expected)
    {
        using var response = await CallAsync(factory.ClientFor(factory.Keys.Named(role)), endpoint);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{role} on {endpoint}: expected {expected}, got {(int)response.StatusCode}: {body}");
        if (expected == 403) await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(EveryEndpoint))]
    public async Task No_key_is_401_with_a_problem_document(string endpoint)
    {
        using var response = await CallAsync(factory.Anonymous(), endpoint);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(EveryEndpoint))]
    public async Task A_bad_key_is_401_with_a_problem_document(string endpoint)
    {
        using var response = await CallAsync(factory.ClientWithSecret("mga_not-a-real-key"), endpoint);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_in_another_scheme_is_401()
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Basic", "dXNlcjpwYXNz");
        using var response = await client.GetAsync("/v1/policies");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Nothing_is_stored_when_the_caller_may_not_submit()
    {
        var before = factory.CountRows();
        foreach (var client in new[] { factory.Anonymous(), factory.Reviewer, factory.ClientFor(factory.Keys.Admin) })
        {
            using var response = await client.SubmitAsync(Examples.ForNewMember(Examples.Exacerbation));
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
        }
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public void Keys_are_stored_only_as_hashes()
    {
        var keys = factory.Keys;
        IssuedKey[] all = [keys.ProviderA, keys.ProviderB, keys.Reviewer, keys.Clinician, keys.PolicyAuthor, keys.Admin];

        using var connection = factory.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM api_keys";
        using var reader = command.ExecuteReader();
        var stored = new List<string>();
        var hashes = new List<string>();
        while (reader.Read())
        {
            var values = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!);
            stored.Add(string.Join("|", values));
            hashes.Add(reader.GetString(reader.GetOrdinal("key_hash")));
        }

        Assert.True(stored.Count >= all.Length);
        foreach (var key in all)
        {
            Assert.StartsWith("mga_", key.Secret);
            Assert.All(stored, row => Assert.DoesNotContain(key.Secret, row, StringComparison.Ordinal));
            Assert.All(stored, row => Assert.DoesNotContain(key.Secret["mga_".Length..], row, StringComparison.Ordinal));
            Assert.Contains(ApiKeyStore.Hash(key.Secret), hashes);
        }
    }

    [Fact]
    public void No_secret_is_anywhere_in_the_database_files()
    {
        var keys = factory.Keys;
        var bytes = Directory.EnumerateFiles(factory.Folder).SelectMany(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }).ToArray();
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        foreach (var key in new[] { keys.ProviderA, keys.ProviderB, keys.Reviewer, keys.Clinician, keys.PolicyAuthor, keys.Admin })
            Assert.DoesNotContain(key.Secret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_401()
    {
        var store = factory.Services.GetRequiredService<ApiKeys>();
        var key = store.Create(TestKeys.OrgA, Roles.Provider, "to be revoked", "1234567893");
        var client = factory.ClientFor(key);
        using (var ok = await client.GetAsync("/v1/authorizations"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        Assert.True(store.Revoke(key.Record.Id));
        factory.ForgetCachedKeys();

        using var refused = await client.GetAsync("/v1/authorizations");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var before = factory.CountRows();
        using var submit = await client.SubmitAsync(Examples.ForNewMember(Examples.Exacerbation));
        await submit.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public void Issuing_and_revoking_a_key_are_each_audited_in_their_own_transaction_without_the_secret()
    {
        var keys = factory.Services.GetRequiredService<ApiKeys>();
        var key = keys.Create(TestKeys.OrgA, Roles.Provider, "audited", "1234567893");
        Assert.True(keys.Revoke(key.Record.Id));

        foreach (var action in new[] { AuditActions.KeyIssued, AuditActions.KeyRevoked })
            Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM audit_log WHERE action = @action AND subject = @id AND actor = @actor",
                ("@action", action), ("@id", key.Record.Id), ("@actor", KeyIssuing.TestSetup.Id)));
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM audit_log WHERE detail LIKE @secret OR detail LIKE @hash",
            ("@secret", $"%{key.Secret}%"), ("@hash", $"%{ApiKeyStore.Hash(key.Secret)}%")));
    }

    // ---- organizations are kept apart -------------------------------------------------------------

    [Fact]
    public async Task Another_organizations_case_by_id_is_404()
    {
        var id = (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation)))["authorizationId"]!;

        using var response = await factory.ProviderB.GetAsync($"/v1/authorizations/{id}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(id, problem.ToJsonString());
        // The same 404 as for an id that does not exist: nothing tells B the case is there.
        using var missing = await factory.ProviderB.GetAsync("/v1/authorizations/PA-DOES-NOT-EXIST");
        Assert.Equal((await missing.JsonAsync())["detail"]!.ToString(), problem["detail"]!.ToString());
        // Plan staff see it.
        await factory.Reviewer.GetOkAsync($"/v1/authorizations/{id}");
    }

    [Theory]
    [MemberData(nameof(EveryProviderEndpointWithAnId))]
    public async Task Another_organizations_case_is_404_on_every_endpoint_that_takes_an_id(string endpoint)
    {
        var (method, _, url, body) = Endpoints[endpoint];
        var approved = (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation)))["authorizationId"]!;
        var pended = (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines()))["authorizationId"]!;
        url = url.Replace("{approved}", approved).Replace("{pended}", pended);
        var before = factory.CountRows();

        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = Http.Json(body());
        using var response = await factory.ProviderB.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(approved, problem.ToJsonString());
        Assert.DoesNotContain(pended, problem.ToJsonString());
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public async Task Another_organizations_case_takes_no_supplement_from_it()
    {
        var id = (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines()))["authorizationId"]!;
        var before = factory.CountRows();

        using var response = await factory.ProviderB.PostJsonAsync($"/v1/authorizations/{id}/supplements", Examples.BaselinesSupplement());

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, factory.CountRows());
        var still = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{id}");
        Assert.Equal(1, (int)still["revision"]!);
        Assert.Equal("pended", (string)still["status"]!);
    }

    [Fact]
    public async Task A_provider_lists_only_its_own_organizations_cases()
    {
        var a = (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation)))["authorizationId"]!;
        var b = (string)(await factory.ProviderB.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation)))["authorizationId"]!;

        var listedByB = await ListAllAsync(factory.ProviderB, "");
        var listedByA = await ListAllAsync(factory.ProviderA, "");
        var listedByReviewer = await ListAllAsync(factory.Reviewer, "");

        Assert.Contains(b, listedByB);
        Assert.DoesNotContain(a, listedByB);
        Assert.Contains(a, listedByA);
        Assert.DoesNotContain(b, listedByA);
        Assert.Contains(a, listedByReviewer);
        Assert.Contains(b, listedByReviewer);
        var orgB = factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE organization_id = @o", ("@o", TestKeys.OrgB));
        Assert.Equal(orgB, listedByB.Count);
    }

    [Fact]
    public async Task Another_organizations_member_lists_empty()
    {
        var member = Examples.NewMemberId();
        await factory.ProviderA.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member));

        var byB = await factory.ProviderB.GetOkAsync($"/v1/authorizations?memberId={member}");
        var byBPended = await factory.ProviderB.GetOkAsync($"/v1/authorizations?memberId={member}&status=approved");
        var byA = await factory.ProviderA.GetOkAsync($"/v1/authorizations?memberId={member}");

        Assert.Equal(0, (int)byB["total"]!);
        Assert.Empty(byB["items"]!.AsArray());
        Assert.Equal(0, (int)byBPended["total"]!);
        Assert.Equal(1, (int)byA["total"]!);
    }

    [Fact]
    public async Task Another_organizations_idempotency_key_reveals_nothing()
    {
        var key = "shared-key-" + Guid.NewGuid().ToString("N");
        var request = Examples.ForNewMember(Examples.Exacerbation);
        var a = await factory.ProviderA.SubmitCreatedAsync(request, key);

        // Same key, same body, other organization: a case of B's own, not A's answer.
        using var response = await factory.ProviderB.SubmitAsync(request, key);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var b = await response.JsonAsync();
        Assert.NotEqual((string)a["authorizationId"]!, (string)b["authorizationId"]!);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM authorizations WHERE organization_id = @o AND idempotency_key = @k",
            ("@o", TestKeys.OrgB), ("@k", key)));
        // (B's decision is pended for A's overlapping approval: see HistoryTests for what that reason shows B.)
    }

    private static async Task<List<string>> ListAllAsync(HttpClient client, string query)
    {
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            var listed = await client.GetOkAsync($"/v1/authorizations?pageSize=200&page={page}{query}");
            var items = listed["items"]!.AsArray();
            ids.AddRange(items.Select(i => (string)i!["authorizationId"]!));
            if (items.Count < 200) return ids;
        }
    }
}
