using MgAuth.Api.Authorizations;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using MgAuth.Cases.Authorizations;

namespace MgAuth.Api.Infrastructure;

/// <summary>
/// Development only: an empty database gets a demo provider (and a second one, to show isolation),
/// the plan's reviewer, clinician, policy author and admin, and the example requests as cases, so a
/// newcomer can try the service at once. The keys go to data/demo-keys.txt and the console, once.
/// </summary>
public sealed class DemoSeeder(ApiKeyStore stored, ApiKeys keys, AuthorizationService authorizations, ILogger<DemoSeeder> logger)
{
    private static readonly AuditActor Seeder = new("demo-seeder", "deployment", null);

    public async Task SeedAsync(string keysFile, string? examplesFolder)
    {
        if (stored.Any()) return;
        IssuedKey[] issued =
        [
            await keys.CreateAsync(Seeder, "demo-clinic", Roles.Provider, "Demo Neurology Clinic portal", "1234567893"),
            await keys.CreateAsync(Seeder, "other-clinic", Roles.Provider, "Other Clinic portal", "1245319599"),
            await keys.CreateAsync(Seeder, "plan", Roles.Reviewer, "Demo reviewer", personId: "demo-reviewer"),
            await keys.CreateAsync(Seeder, "plan", Roles.Clinician, "Demo clinician (MD)", "1003000126", "demo-clinician"),
            await keys.CreateAsync(Seeder, "plan", Roles.PolicyAuthor, "Demo policy author", personId: "demo-author"),
            await keys.CreateAsync(Seeder, "plan", Roles.PolicyApprover, "Demo policy approver", personId: "demo-approver"),
            await keys.CreateAsync(Seeder, "plan", Roles.Admin, "Demo admin", personId: "demo-admin"),
        ];
        var lines = issued.Select(k => $"{k.Record.Role,-14} {k.Record.OrganizationId,-13} {k.Secret}").ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keysFile))!);
        await File.WriteAllLinesAsync(keysFile, ["# MgAuth demo API keys (Development only). Send as: Authorization: Bearer <key>", .. lines]);
        logger.LogWarning("Demo API keys (shown once, also in {File}):{NewLine}{Keys}", keysFile, Environment.NewLine, string.Join(Environment.NewLine, lines));

        if (examplesFolder is null) return;
        var provider = issued[0];
        foreach (var file in Directory.EnumerateFiles(examplesFolder, "*.json").Order(StringComparer.Ordinal))
            await authorizations.SubmitAsync(AsDemoMember(await File.ReadAllTextAsync(file)), provider.Record.OrganizationId,
                new Actor(provider.Record.Id, provider.Record.Role, provider.Record.Person), idempotencyKey: $"demo-{Path.GetFileNameWithoutExtension(file)}");
    }

    // The seeded cases get member ids of their own, so a newcomer who submits an example afterwards
    // is not told it overlaps the demo's copy of it (§4 H2).
    private static byte[] AsDemoMember(string json)
    {
        var request = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        if (request["member"]?["id"] is { } id) request["member"]!["id"] = $"{id.GetValue<string>()}-DEMO";
        return System.Text.Encoding.UTF8.GetBytes(request.ToJsonString());
    }
}
