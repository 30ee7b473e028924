using MgAuth.Cases;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;

namespace MgAuth.Cli;

/// <summary>
/// <c>mgauth keys create --org ORG --role ROLE [--name N] [--npi N] [--person ID [--person-issuer URL]] [--db PATH]</c> (policy
/// authors and approvers need <c>--person</c>; the issuer defaults to <c>Staff__Authority</c>) and <c>mgauth keys revoke KEYID [--db PATH]</c>.
/// </summary>
public static class KeysCommand
{
    /// <summary>The operator at this machine, as the audit log names them: the command line reaches the database itself.</summary>
    internal static AuditActor Operator => new(Environment.UserName, "operator", null);

    public static async Task<int> RunAsync(Options options, TextWriter stdout)
    {
        var database = OpenDatabase(options);
        var keys = new ApiKeys(database, TimeProvider.System);
        var by = Operator;
        switch (options.Positional.FirstOrDefault())
        {
            case "create":
                var org = options.Value("--org") ?? throw new UsageException("keys create needs --org ORG");
                var role = options.Value("--role") ?? throw new UsageException("keys create needs --role ROLE");
                IssuedKey issued;
                var person = options.Value("--person");
                // A key's person is the identity provider's subject of that id when staff sign in through one (Staff__Authority),
                // so four eyes see the key and the sign-in as one person; --person-issuer names another issuer.
                var issuer = person is null ? null : options.Value("--person-issuer") ?? NonEmpty(Environment.GetEnvironmentVariable("Staff__Authority"));
                try { issued = await keys.CreateAsync(by, org, role, options.Value("--name", $"{role} key for {org}"), options.Value("--npi"), person, issuer); }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
                stdout.WriteLine($"key id: {issued.Record.Id}");
                if (issued.Record.PersonId is { } named) stdout.WriteLine($"person: {named} at {issued.Record.Person.Issuer}");
                stdout.WriteLine($"secret: {issued.Secret}");
                stdout.WriteLine("The secret is shown once; only its hash is stored. Send it as: Authorization: Bearer <secret>");
                return Cli.Ok;
            case "revoke":
                var id = options.Positional.ElementAtOrDefault(1) ?? throw new UsageException("keys revoke needs a KEYID");
                if (!await keys.RevokeAsync(by, id)) throw new UsageException($"no active key {id}");
                stdout.WriteLine($"revoked {id}");
                return Cli.Ok;
            default:
                throw new UsageException("keys takes create or revoke");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>
    /// The service's database: <c>--db PATH</c> is a SQLite file; otherwise the same settings as the service, from the
    /// environment (<c>Storage__Provider</c>, <c>ConnectionStrings__MgAuth</c>), else the default SQLite file.
    /// </summary>
    public static Database OpenDatabase(Options options)
    {
        var path = options.Value("--db");
        var provider = path is null ? StorageProviders.Parse(Environment.GetEnvironmentVariable("Storage__Provider")) : StorageProvider.Sqlite;
        var connectionString = path is null ? Environment.GetEnvironmentVariable("ConnectionStrings__MgAuth") : null;
        if (provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(connectionString))
            throw new UsageException("Storage__Provider=postgres needs ConnectionStrings__MgAuth (an Npgsql connection string)");
        connectionString ??= $"Data Source={path ?? Path.Combine(Folders.Data(), "mgauth.db")}";
        var database = new Database(provider, connectionString, TimeProvider.System);
        database.Migrate();
        return database;
    }
}
