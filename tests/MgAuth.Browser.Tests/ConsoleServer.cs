using System.Net.Http.Headers;
using System.Text;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MgAuth.Testing;

namespace MgAuth.Browser.Tests;

/// <summary>
/// The service on a real loopback port (the browser needs one), on a temporary SQLite file, in the
/// Testing environment (no demo seed). Keys are made with the key store; cases are submitted over HTTP.
/// </summary>
public sealed class ConsoleServer : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mgauth-browser-tests", Guid.NewGuid().ToString("N"));

    private readonly IEnumerable<KeyValuePair<string, string?>> _settings;

    public ConsoleServer() : this(0, [])
    {
    }

    /// <summary>On <paramref name="port"/> (0: any) with more <paramref name="settings"/> (staff sign-in at a provider).</summary>
    internal ConsoleServer(int port, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        _settings = settings;
        Directory.CreateDirectory(_folder);
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.TrimEnd('/');
        var keys = Services.GetRequiredService<ApiKeys>();
        Provider = Issue(() => keys.CreateAsync(Setup, "browser-clinic", Roles.Provider, "Browser test clinic", "1234567893"));
        Reviewer = Issue(() => keys.CreateAsync(Setup, "plan", Roles.Reviewer, "Browser test reviewer", personId: "browser-reviewer"));
        Clinician = Issue(() => keys.CreateAsync(Setup, "plan", Roles.Clinician, "Browser test clinician", "1003000126", "browser-clinician"));
    }

    private static readonly AuditActor Setup = new("browser-test-setup", "operator", null);

    // Off the constructor's synchronization context, so waiting for the writer cannot deadlock it.
    private static IssuedKey Issue(Func<Task<IssuedKey>> create) => Task.Run(create).GetAwaiter().GetResult();

    /// <summary>http://127.0.0.1:port</summary>
    public string BaseUrl { get; }
    public IssuedKey Provider { get; }
    public IssuedKey Reviewer { get; }
    public IssuedKey Clinician { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["ConnectionStrings:MgAuth"] = $"Data Source={Path.Combine(_folder, "mgauth.db")}",
            ["Rules:Pack"] = RepositoryFolders.Pack,
            ["Rules:Policies"] = RepositoryFolders.Policies,
            ["RateLimiting:PermitsPerSecond"] = "100000",
            ["RateLimiting:Burst"] = "100000",
            ["Demo:Seed"] = "false",
        }.Concat(_settings))
            builder.UseSetting(key, value);
    }

    /// <summary>A client of the real server speaking with <paramref name="key"/>.</summary>
    public HttpClient Client(IssuedKey key)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        return client;
    }

    /// <summary>Submits an example from the repository's examples/ as the provider (for a member of the test's own); returns the decision.</summary>
    public async Task<JsonObject> SubmitExampleAsync(string name, Action<JsonObject>? change = null)
    {
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryFolders.Examples, name + ".json")))!.AsObject();
        request["member"]!["id"] = "M-B" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        change?.Invoke(request);
        using var client = Client(Provider);
        using var response = await client.PostAsync("/v1/authorizations", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submitting {name}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
