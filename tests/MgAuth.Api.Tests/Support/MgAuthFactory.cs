extern alias cli;
using System.Data.Common;
using MgAuth.Api.Security;
using MgAuth.Cases.Data;
using MgAuth.RulePacks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// The service on a fresh database of its own (a SQLite file, or a PostgreSQL database: <see cref="TestStorage"/>), in the "Testing" environment (no demo seed), on the
/// repository's rule pack and policies, with rate limits too generous to matter unless a test sets them.
/// </summary>
public class MgAuthFactory : WebApplicationFactory<Program>
{
    /// <summary>
    /// The rule packs compiled in this test process, by their source's hash, shared by every factory's service: each
    /// pack is compiled (Roslyn, then NRules) once a test process instead of once a service start, as one service
    /// already shares them between its releases. Only compiling is shared: every service still checks its release's
    /// cases at start, and untrusted packs are still compiled in the worker process, once a job.
    /// </summary>
    private static readonly CompiledPacks SharedPacks = new();

    private readonly Lazy<TestKeys> _keys;

    public MgAuthFactory()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mgauth-api-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        ConnectionString = TestStorage.IsPostgres ? TestStorage.CreatePostgresDatabase(migrated: true) : $"Data Source={DatabasePath}";
        _keys = new Lazy<TestKeys>(() => TestKeys.Create(Services));
    }

    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, "mgauth.db");
    public string ConnectionString { get; }

    /// <summary>Keys for org A's and org B's providers and the plan's staff (created on first use).</summary>
    public TestKeys Keys => _keys.Value;

    /// <summary>Configuration a subclass changes (limits, timeouts).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Overrides => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = TestStorage.Provider.ToString().ToLowerInvariant(),
            ["ConnectionStrings:MgAuth"] = ConnectionString,
            ["Rules:Pack"] = Repository.PackFolder,
            ["Rules:Policies"] = Repository.PoliciesFolder,
            ["RateLimiting:PermitsPerSecond"] = "100000",
            ["RateLimiting:Burst"] = "100000",
            ["Security:FailedAuthPerMinute"] = "100000",
            ["Demo:Seed"] = "false",
            ["Api:Swagger"] = "true",
        };
        foreach (var (key, value) in Overrides) settings[key] = value;
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => services.AddSingleton(SharedPacks));
    }

    protected override Microsoft.Extensions.Hosting.IHost CreateHost(Microsoft.Extensions.Hosting.IHostBuilder builder)
    {
        if (TestStorage.IsPostgres) SqlStatementLog.Owns(ConnectionString);
        return base.CreateHost(builder);
    }

    public HttpClient ClientFor(IssuedKey key) => ClientWithSecret(key.Secret);

    public HttpClient ClientWithSecret(string? secret)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (secret is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }

    public HttpClient Anonymous() => ClientWithSecret(null);

    /// <summary>The service's remembered keys forgotten: a key revoked just now is refused by the next request.</summary>
    public void ForgetCachedKeys() => Services.GetRequiredService<ApiKeyCache>().Forget();

    public HttpClient ProviderA => ClientFor(Keys.ProviderA);
    public HttpClient ProviderB => ClientFor(Keys.ProviderB);
    public HttpClient Reviewer => ClientFor(Keys.Reviewer);

    /// <summary>A connection of the test's own to the service's database. SQL with @name parameters reads the same on both stores.</summary>
    public DbConnection OpenDatabase()
    {
        _ = Services; // the service is up: the schema is in place
        DbConnection connection = TestStorage.IsPostgres
            ? new NpgsqlConnection(ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>A command on <paramref name="connection"/> with its parameters (named @name in the SQL and here).</summary>
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>
    /// <c>mgauth ARGS</c> on the service's database: in-process with <c>--db</c> on SQLite; on PostgreSQL the built CLI as
    /// a child process configured as an operator would (<c>Storage__Provider</c>, <c>ConnectionStrings__MgAuth</c>).
    /// </summary>
    public async Task<(int Exit, string Out, string Err)> MgAuthCliAsync(params string[] args)
    {
        if (!TestStorage.IsPostgres)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await cli::MgAuth.Cli.Cli.RunAsync([.. args, "--db", DatabasePath], new StringReader(""), stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        return await CliProcess.RunAsync(args, new()
        {
            ["Storage__Provider"] = "postgres",
            ["ConnectionStrings__MgAuth"] = ConnectionString,
        });
    }

    public RowCounts CountRows()
    {
        using var connection = OpenDatabase();
        return new RowCounts(Scalar(connection, "authorizations"), Scalar(connection, "revisions"), Scalar(connection, "events"));

        static long Scalar(DbConnection c, string table)
        {
            using var command = Command(c, $"SELECT COUNT(*) FROM {table}");
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public long ScalarLong(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenDatabase();
        using var command = Command(connection, sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenDatabase();
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        SqliteConnection.ClearAllPools();
        if (TestStorage.IsPostgres) TestStorage.DropPostgresDatabase(ConnectionString);
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

public sealed record RowCounts(long Authorizations, long Revisions, long Events);
