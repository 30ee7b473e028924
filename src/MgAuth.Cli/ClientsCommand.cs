using MgAuth.Cases.Data;
using MgAuth.Cases.Smart;

namespace MgAuth.Cli;

/// <summary>
/// SMART Backend Services clients: <c>mgauth clients register --org ORG --name NAME --jwks FILE [--scope "S …"] [--npi N]</c>
/// prints the client id; <c>clients list [--org ORG]</c>; <c>clients revoke CLIENTID</c> (each with <c>--db PATH</c>).
/// </summary>
public static class ClientsCommand
{
    public static async Task<int> RunAsync(Options options, TextWriter stdout)
    {
        var database = KeysCommand.OpenDatabase(options);
        var store = new SmartClientStore(database);
        var clients = new SmartClients(database, store, TimeProvider.System);
        var by = new AuditActor(Environment.UserName, "operator", null);
        switch (options.Positional.FirstOrDefault())
        {
            case "register":
                var org = options.Value("--org") ?? throw new UsageException("clients register needs --org ORG");
                var name = options.Value("--name") ?? throw new UsageException("clients register needs --name NAME");
                var file = options.Value("--jwks") ?? throw new UsageException("clients register needs --jwks FILE (the client's public keys)");
                if (!File.Exists(file)) throw new UsageException($"no JWKS file {file}");
                var scopes = options.Value("--scope")?.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
                SmartClient client;
                try { client = await clients.RegisterAsync(by, org, name, await File.ReadAllTextAsync(file), scopes, options.Value("--npi")); }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
                stdout.WriteLine($"client id: {client.Id}");
                stdout.WriteLine($"scopes: {client.Scopes}");
                stdout.WriteLine("The client signs its assertions (RS384 or ES384) with a key of that JWKS: iss = sub = the client id, aud = the token endpoint.");
                return Cli.Ok;
            case "list":
                foreach (var c in await clients.ListAsync(options.Value("--org")))
                    stdout.WriteLine($"{c.Id}  {c.OrganizationId,-14} {(c.Active ? "active " : "revoked")}  {c.Name}  [{c.Scopes}]");
                return Cli.Ok;
            case "revoke":
                var id = options.Positional.ElementAtOrDefault(1) ?? throw new UsageException("clients revoke needs a CLIENTID");
                if (!await clients.RevokeAsync(by, id)) throw new UsageException($"no active client {id}");
                stdout.WriteLine($"revoked {id}; tokens it holds stop working within their 5 minutes");
                return Cli.Ok;
            default:
                throw new UsageException("clients takes register, list or revoke");
        }
    }
}
