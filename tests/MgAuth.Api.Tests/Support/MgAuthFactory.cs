using MgAuth.Api.Security;
using MgAuth.Cases.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// The service on a fresh SQLite file of its own, in the "Testing" environment (no demo seed), on the
/// repository's rule pack and policies, with rate limits too generous to matter unless a test sets them.
/// </summary>
public class MgAuthFactory : WebApplicationFactory<Program>
{
    private readonly Lazy<TestKeys> _keys;

    public MgAuthFactory()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mgauth-api-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        _keys = new Lazy<TestKeys>(() => TestKeys.Create(Services));
    }

    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, "mgauth.db");
    public string ConnectionString => $"Data Source={DatabasePath}";

    /// <summary>Keys for org A's and org B's providers and the plan's staff (created on first use).</summary>
    public TestKeys Keys => _keys.Value;

    /// <summary>Configuration a subclass changes (limits, timeouts).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Overrides => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
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

    /// <summary>A connection of the test's own to the service's database file.</summary>
    public SqliteConnection OpenDatabase()
    {
        _ = Services; // the service is up: the schema is in place
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public RowCounts CountRows()
    {
        using var connection = OpenDatabase();
        return new RowCounts(Scalar(connection, "authorizations"), Scalar(connection, "revisions"), Scalar(connection, "events"));

        static long Scalar(SqliteConnection c, string table)
        {
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)command.ExecuteScalar()!;
        }
    }

    public long ScalarLong(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

public sealed record RowCounts(long Authorizations, long Revisions, long Events);
