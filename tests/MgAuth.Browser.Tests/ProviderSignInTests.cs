using System.Net.Sockets;
using MgAuth.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using People = MgAuth.Testing.OidcProvider.People;

namespace MgAuth.Browser.Tests;

/// <summary>
/// The console's sign-in through the plan's identity provider, in a real browser, against an identity provider nobody here
/// wrote (the Node oidc-provider, tests/idp): its login page, its tokens, the service's cookie session.
/// </summary>
public sealed class ProviderSignInTests(ProviderSignInServer server, Browser browser, ITestOutputHelper output)
    : IClassFixture<ProviderSignInServer>, IClassFixture<Browser>
{
    private static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    [Fact]
    public async Task A_clinician_signs_in_at_the_provider_denies_a_pended_case_and_is_named_in_the_history_and_the_notice()
    {
        var pended = await server.Console.SubmitExampleAsync("over-ceiling");
        var id = (string)pended["authorizationId"]!;
        var page = await browser.NewPageAsync();

        await page.GotoAsync(server.Console.BaseUrl + "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with the plan's account" }).ClickAsync();
        // The provider's own login page (oidc-provider's): the login is the person's subject there.
        await page.WaitForURLAsync(url => url.StartsWith(server.Idp.Issuer, StringComparison.Ordinal));
        await page.Locator("input[name=login]").FillAsync(People.Clinician);
        await page.Locator("input[name=password]").FillAsync("any password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review queue" })).ToBeVisibleAsync();
        await Expect(page.Locator("#who-text")).ToHaveTextAsync($"Signed in: {People.ClinicianName} \u00b7 clinician");

        await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim this case" }).ClickAsync();
        await Expect(page.GetByText("You hold this case now.")).ToBeVisibleAsync();
        await page.GetByLabel("Deny", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Rationale").FillAsync("4 g/kg is twice the 2 g/kg course ceiling.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record determination" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The case is now denied");

        var history = page.Locator("section[aria-labelledby=history-h]");
        await Expect(history).ToContainTextAsync(People.ClinicianName);
        await Expect(history).Not.ToContainTextAsync("key_");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the notice" }).ClickAsync();
        var notice = page.FrameLocator("iframe[title='Notice of the decision']");
        await Expect(notice.Locator("h1")).ToContainTextAsync("Denied");
        await Expect(notice.Locator("body")).ToContainTextAsync(People.ClinicianName);
        var shot = Path.Combine(Artifacts, "provider-signin-denied.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine($"screenshot: {shot}");
    }
}

/// <summary>The Node oidc-provider and the service signing staff in at it: the service's port is chosen first, for the provider's redirect URI.</summary>
public sealed class ProviderSignInServer : IAsyncLifetime
{
    private OidcProvider? _idp;
    private ConsoleServer? _console;

    internal OidcProvider Idp => _idp!;
    public ConsoleServer Console => _console!;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        _idp = await OidcProvider.StartAsync($"http://127.0.0.1:{port}");
        _console = new ConsoleServer(port, _idp.StaffSettings());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_console is not null) await _console.DisposeAsync();
        if (_idp is not null) await _idp.DisposeAsync();
    }
}
