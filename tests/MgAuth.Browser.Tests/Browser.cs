using Microsoft.Playwright;

namespace MgAuth.Browser.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright, headless. Playwright's own browser builds are never
/// downloaded: the executable is the system's (tests/run.sh installs the chromium package).
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (tests/run.sh does).");
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            Headless = true,
        });
    }

    /// <summary>A fresh page (its own session storage) the size of a laptop screen.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        // The machine running the tests may be busy: be patient, but not forever.
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.CloseAsync();
        _playwright?.Dispose();
    }
}
