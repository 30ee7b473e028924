using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MgAuth.Testing;

/// <summary>
/// The plan's identity provider in tests: panva's certified Node <c>oidc-provider</c> (tests/idp/server.mjs, run by
/// Debian's node) on loopback ports of its own, with people of each MgAuth role. Started, it has answered its discovery
/// document; disposed, the process is gone. People sign in on the library's own login page (the login is the subject),
/// in a browser or by <see cref="SignInAsync"/>, which walks the same pages over HTTP (authorization code + PKCE).
/// Linked into the API and browser test projects.
/// </summary>
internal sealed partial class OidcProvider : IAsyncDisposable
{
    public const string ConsoleClient = "mgauth-console";

    /// <summary>A client whose access tokens last 6 seconds (the disabled-person test).</summary>
    public const string ShortLivedClient = "mgauth-short-lived";

    public const string ClientSecret = "mgauth-console-test-secret";
    public const string Audience = "mgauth";

    /// <summary>A resource the provider also serves: its tokens' aud is not MgAuth.</summary>
    public const string OtherResource = "https://other.example/api";

    /// <summary>The people at the provider (subjects), as tests/idp/server.mjs has them.</summary>
    public static class People
    {
        public const string Reviewer = "rev-1001";
        public const string Clinician = "cli-2002";
        public const string ClinicianName = "Dr. Ada Moreno";
        public const string PolicyAuthor = "aut-3003";
        public const string PolicyApprover = "apr-4004";
        public const string Admin = "adm-5005";

        /// <summary>Dana Reyes holds policy_author and policy_approver; their tokens carry the role set by <see cref="ActAsync"/>.</summary>
        public const string AuthorAndApprover = "dua-6006";
    }

    private readonly Process _process;
    private readonly HttpClient _admin;

    private OidcProvider(Process process, string issuer, string admin, string redirectBase)
    {
        _process = process;
        Issuer = issuer;
        RedirectBase = redirectBase;
        _admin = new HttpClient { BaseAddress = new Uri(admin) };
    }

    /// <summary>http://127.0.0.1:port (no trailing slash), as its tokens' iss.</summary>
    public string Issuer { get; }

    /// <summary>The MgAuth host whose /signin-oidc the provider's clients may be sent back to.</summary>
    public string RedirectBase { get; }

    public string RedirectUri => RedirectBase + "/signin-oidc";

    /// <summary>Staff:* settings that point the service under test at this provider.</summary>
    public IEnumerable<KeyValuePair<string, string?>> StaffSettings(string clientId = ConsoleClient) =>
    [
        new("Staff:Authority", Issuer),
        new("Staff:ClientId", clientId),
        new("Staff:ClientSecret", ClientSecret),
        new("Staff:Audience", Audience),
    ];

    /// <summary>Starts the provider (installing its one package first if tests/idp/node_modules is missing).</summary>
    public static async Task<OidcProvider> StartAsync(string redirectBase = "http://127.0.0.1:5080")
    {
        var folder = Path.Combine(RepositoryFolders.Root, "tests", "idp");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
            await RunAsync("npm", ["ci", "--prefix", folder, "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
        var start = new ProcessStartInfo("node", ["server.mjs", "--port", "0", "--admin-port", "0", "--redirect-base", redirectBase, "--client-secret", ClientSecret])
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true, // held open: the provider ends when this process does
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (first is null)
        {
            await process.WaitForExitAsync();
            lock (errors) throw new InvalidOperationException($"tests/idp/server.mjs ended before listening: {errors}");
        }
        using var started = JsonDocument.Parse(first);
        var provider = new OidcProvider(process, started.RootElement.GetProperty("issuer").GetString()!,
            started.RootElement.GetProperty("admin").GetString()!, redirectBase.TrimEnd('/'));
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var discovery = await http.GetAsync(provider.Issuer + "/.well-known/openid-configuration");
                if (discovery.IsSuccessStatusCode) return provider;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException("the identity provider's discovery document never answered");
            await Task.Delay(100);
        }
    }

    /// <summary>The tokens the provider answered at its token endpoint.</summary>
    public sealed record Tokens(string AccessToken, string? RefreshToken, string? IdToken, int ExpiresIn);

    /// <summary>
    /// Signs <paramref name="subject"/> in as a client would: /auth with PKCE, the login page's form, back to /auth, the code
    /// exchanged at /token. <paramref name="resource"/> asks for a token for another resource server.
    /// </summary>
    public async Task<Tokens> SignInAsync(string subject, string clientId = ConsoleClient, string? resource = null)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid profile offline_access",
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["state"] = Guid.NewGuid().ToString("N"),
        };
        if (resource is not null) query["resource"] = resource;
        var location = await RedirectOfAsync(browser.GetAsync(Issuer + "/auth" + Microsoft.AspNetCore.Http.QueryString.Create(query)));
        // The login page: its form posts the login (the subject) and any password.
        using (var page = await browser.GetAsync(location))
        {
            var html = await page.Content.ReadAsStringAsync();
            var action = FormAction().Match(html);
            if (!action.Success) throw new InvalidOperationException($"no login form at {location}: {html[..Math.Min(html.Length, 300)]}");
            location = new Uri(new Uri(location), WebUtility.HtmlDecode(action.Groups[1].Value)).ToString();
        }
        location = await RedirectOfAsync(browser.PostAsync(location, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["prompt"] = "login", ["login"] = subject, ["password"] = "any",
        })));
        // Back at /auth until the provider sends the browser to the client with a code (or an error).
        for (var hops = 0; !location.StartsWith(RedirectUri, StringComparison.Ordinal); hops++)
        {
            if (hops > 5) throw new InvalidOperationException($"signing {subject} in never reached the client: {location}");
            location = await RedirectOfAsync(browser.GetAsync(location));
        }
        var answer = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(location).Query);
        if (!answer.TryGetValue("code", out var code))
            throw new SignInRefusedException($"the provider did not sign {subject} in: {answer.GetValueOrDefault("error")} {answer.GetValueOrDefault("error_description")}");
        return await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code!,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = clientId,
            ["client_secret"] = ClientSecret,
        }) ?? throw new SignInRefusedException($"the provider refused to exchange {subject}'s code");
    }

    /// <summary>The refresh token grant, as the console's session uses it; null when the provider refuses.</summary>
    public Task<Tokens?> RefreshAsync(string refreshToken, string clientId = ConsoleClient) => TokenAsync(new Dictionary<string, string>
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
        ["client_id"] = clientId,
        ["client_secret"] = ClientSecret,
    });

    /// <summary>The person is disabled at the provider: no sign-in, no refresh.</summary>
    public Task DisableAsync(string subject) => AdminAsync($"/test/disable?sub={Uri.EscapeDataString(subject)}");

    /// <summary>Which of the person's roles their next tokens carry.</summary>
    public Task ActAsync(string subject, string role) => AdminAsync($"/test/act?sub={Uri.EscapeDataString(subject)}&role={Uri.EscapeDataString(role)}");

    private async Task AdminAsync(string path)
    {
        using var response = await _admin.PostAsync(path, null);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<Tokens?> TokenAsync(Dictionary<string, string> form)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(Issuer + "/token", new FormUrlEncodedContent(form));
        if (!response.IsSuccessStatusCode) return null;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
        return new Tokens(Text("access_token")!, Text("refresh_token"), Text("id_token"), root.GetProperty("expires_in").GetInt32());
    }

    private async Task<string> RedirectOfAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is not { } to)
            throw new InvalidOperationException($"expected a redirect, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return to.IsAbsoluteUri ? to.ToString() : new Uri(new Uri(Issuer), to).ToString();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    private static async Task RunAsync(string file, string[] arguments, TimeSpan limit)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{file} did not start");
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(limit);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}: {await error}");
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!await Task.Run(() => _process.WaitForExit(5000))) _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>The identity provider did not sign the person in (disabled, unknown) or refused the code.</summary>
internal sealed class SignInRefusedException(string message) : Exception(message);
