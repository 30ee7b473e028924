using System.Text.Json;
using MgAuth.Api.Smart;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Smart;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests.Smart;

/// <summary><c>mgauth clients register|list|revoke</c>, and the JWKS a registration refuses.</summary>
public sealed class SmartClientsCliTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    [Fact]
    public async Task Register_prints_a_client_id_that_gets_a_token_list_shows_it_and_revoke_ends_it()
    {
        var system = SmartSystem.Es384();
        var jwks = Path.Combine(factory.Folder, "ehr.jwks.json");
        await File.WriteAllTextAsync(jwks, system.Jwks);

        var (exit, stdout, stderr) = await factory.MgAuthCliAsync("clients", "register", "--org", TestKeys.OrgA, "--name", "Acme EHR", "--jwks", jwks,
            "--scope", $"{SmartScopes.ClaimWrite},{SmartScopes.ClaimResponseRead}", "--npi", "1234567893");
        Assert.True(exit == 0, stderr);
        var clientId = stdout.Split('\n')[0].Replace("client id:", "").Trim();
        Assert.StartsWith("smart_", clientId);
        var registered = await factory.Services.GetRequiredService<SmartClientStore>().FindAsync(clientId);
        Assert.Equal($"{SmartScopes.ClaimWrite} {SmartScopes.ClaimResponseRead}", registered!.Scopes);
        Assert.Equal("1234567893", registered.Npi);

        var listed = await factory.MgAuthCliAsync("clients", "list", "--org", TestKeys.OrgA);
        Assert.Contains(clientId, listed.Out);
        Assert.DoesNotContain(clientId, (await factory.MgAuthCliAsync("clients", "list", "--org", TestKeys.OrgB)).Out);

        using (var token = await SmartSystem.RequestTokenAsync(factory.Anonymous(), system.As(clientId).Assertion(), SmartScopes.ClaimWrite))
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(0, (await factory.MgAuthCliAsync("clients", "revoke", clientId)).Exit);
        using (var token = await SmartSystem.RequestTokenAsync(factory.Anonymous(), system.As(clientId).Assertion(), SmartScopes.ClaimWrite))
            Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Contains("revoked", (await factory.MgAuthCliAsync("clients", "list")).Out);
        Assert.Equal(2, (await factory.MgAuthCliAsync("clients", "revoke", clientId)).Exit);
        Assert.Equal(2, factory.ScalarLong("SELECT COUNT(*) FROM audit_log WHERE subject = @id AND action LIKE 'smart_client.%'", ("@id", clientId)));
    }

    public static TheoryData<string, string> RefusedJwks() => new()
    {
        { "a private RSA key", PrivateRsa() },
        { "a symmetric key", """{"keys":[{"kty":"oct","kid":"s","k":"c2VjcmV0"}]}""" },
        { "a key without a kid", WithoutKid() },
        { "an EC key on P-256", """{"keys":[{"kty":"EC","kid":"e","crv":"P-256","x":"AA","y":"AA"}]}""" },
        { "no keys", """{"keys":[]}""" },
        { "not JSON", "-----BEGIN PUBLIC KEY-----" },
    };

    [Theory]
    [MemberData(nameof(RefusedJwks))]
    public async Task A_JWKS_with_a_private_secret_or_unusable_key_is_refused_with_exit_2_and_nothing_stored(string what, string jwks)
    {
        var file = Path.Combine(factory.Folder, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, jwks);

        var (exit, _, stderr) = await factory.MgAuthCliAsync("clients", "register", "--org", TestKeys.OrgA, "--name", what, "--jwks", file);

        Assert.Equal(2, exit);
        Assert.Contains("JWKS", stderr);
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM smart_clients WHERE name = @name", ("@name", what)));
    }

    [Fact]
    public void Every_endpoint_a_provider_may_call_names_the_scope_a_token_needs_for_it()
    {
        var providerPolicies = new[] { "providers", "case-readers", "any-role" };
        var missing = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => providerPolicies.Contains(a.Policy))
                        && e.Metadata.GetMetadata<IAllowAnonymous>() is null
                        && !e.RoutePattern.RawText!.StartsWith("/cds-services", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, e.RoutePattern)))
            .Where(x => SmartScopeRules.ScopeFor(x.m, x.RoutePattern) is null)
            .Select(x => $"{x.m} {x.RoutePattern.RawText}")
            .ToArray();

        Assert.Empty(missing);
    }

    private static string PrivateRsa()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var p = rsa.ExportParameters(true);
        static string B(byte[]? b) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(b);
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", kid = "r", n = B(p.Modulus), e = B(p.Exponent), d = B(p.D), p = B(p.P), q = B(p.Q) } } });
    }

    private static string WithoutKid()
    {
        var node = JsonNode.Parse(SmartSystem.Rs384().Jwks)!;
        node["keys"]![0]!.AsObject().Remove("kid");
        return node.ToJsonString();
    }
}
