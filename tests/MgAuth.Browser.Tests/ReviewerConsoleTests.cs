using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MgAuth.Browser.Tests;

/// <summary>The reviewer console at /, in a real browser, against the service on a loopback port.</summary>
public sealed class ReviewerConsoleTests(ConsoleServer server, Browser browser, ITestOutputHelper output)
    : IClassFixture<ConsoleServer>, IClassFixture<Browser>
{
    private static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    [Fact]
    public async Task A_clinician_denies_a_pended_case_from_the_queue_and_its_notice_gives_the_reason()
    {
        var pended = await server.SubmitExampleAsync("over-ceiling");
        var id = (string)pended["authorizationId"]!;
        Assert.Equal("pended", (string)pended["status"]!);
        Assert.Equal("deny", (string)pended["decision"]!);
        var page = await browser.NewPageAsync();

        // A reviewer signs in and finds the case in the queue.
        await page.GotoAsync(server.BaseUrl + "/");
        await Expect(page.GetByText("data/demo-keys.txt")).ToBeVisibleAsync();
        await SignInAsync(page, server.Reviewer.Secret);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = id });
        await Expect(row).ToContainTextAsync("DOSE_ABOVE_COURSE_CEILING");
        await Expect(row).ToContainTextAsync("deny");
        await Expect(row.Locator(".badge").First).ToContainTextAsync("left");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "queue.png") });

        // The case page: the reasons with their policy section and evidence, the dosing-weight working.
        await row.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Case {id}" })).ToBeVisibleAsync();
        var reasons = page.Locator("section[aria-labelledby=reasons-h]");
        await Expect(reasons).ToContainTextAsync("DOSE_ABOVE_COURSE_CEILING");
        await Expect(reasons).ToContainTextAsync("Policy §4 D1");
        await Expect(reasons).ToContainTextAsync("Evidence: 2023 international guideline review of IVIG in MG");
        var working = page.Locator("section[aria-labelledby=dw-h]");
        await Expect(working).ToContainTextAsync("Ideal body weight (Devine, male)");
        await Expect(working).ToContainTextAsync("Dosing weight78 kg");

        // A reviewer does not get a usable Deny ...
        var deny = page.GetByLabel("Deny", new() { Exact = true });
        await Expect(deny).ToBeDisabledAsync();
        await Expect(page.GetByText("Only a clinician may deny or modify")).ToBeVisibleAsync();
        // ... and were the page forced to send one, the service refuses and the page says why.
        await page.EvaluateAsync("() => { const r = document.getElementById('action-deny'); r.disabled = false; r.checked = true; }");
        await page.GetByLabel("Rationale").FillAsync("A reviewer trying to deny.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record determination" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A clinician must make this determination");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only a clinician may deny");
        await page.Locator("section[aria-labelledby=decide-h]").ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "reviewer-refused.png") });

        // A clinician claims the case and denies it with a reason.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await SignInAsync(page, server.Clinician.Secret);
        await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim this case" }).ClickAsync();
        await Expect(page.GetByText("You hold this case now.")).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby=decide-h]")).ToContainTextAsync("Claim: You, until");
        var screenshot = Path.Combine(Artifacts, "case-page.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot of the case page: {screenshot}");
        Console.WriteLine($"screenshot of the case page: {screenshot}");

        await page.GetByLabel("Deny", new() { Exact = true }).CheckAsync();
        await Expect(page.GetByLabel("Reason code")).ToHaveValueAsync("DOSE_ABOVE_COURSE_CEILING");
        await page.GetByLabel("Rationale").FillAsync("4 g/kg is twice the 2 g/kg course ceiling; a course of up to 160 g can be approved.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record determination" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The case is now denied");

        // Its notice gives the reason, the criterion and the way to appeal.
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the notice" }).ClickAsync();
        var notice = page.FrameLocator("iframe[title='Notice of the decision']");
        await Expect(notice.Locator("h1")).ToContainTextAsync("Denied");
        await Expect(notice.Locator("body")).ToContainTextAsync("Requested 312 g per course exceeds the 2 g/kg ceiling");
        await Expect(notice.Locator("body")).ToContainTextAsync("Policy criterion: §4 D1 (DOSE_ABOVE_COURSE_CEILING)");
        await Expect(notice.Locator("body")).ToContainTextAsync("How to appeal");
        await Expect(notice.Locator("body")).ToContainTextAsync("available to the provider and the member free of charge on request");
        var decided = Path.Combine(Artifacts, "case-denied.png");
        await page.ScreenshotAsync(new() { Path = decided, FullPage = true });
        output.WriteLine($"screenshot of the decided case with its notice: {decided}");

        // The case has left the queue.
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the queue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review queue" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = id })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_console_can_be_used_from_the_keyboard()
    {
        var pended = await server.SubmitExampleAsync("exacerbation", r =>
        {
            r["clinical"]!["mgAdl"]!.AsObject().Remove("baseline");
            r["clinical"]!["qmg"]!.AsObject().Remove("baseline");
        });
        var id = (string)pended["authorizationId"]!;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/");

        // Sign in: the heading has focus; Tab reaches the key, Enter sends it.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the review queue" })).ToBeFocusedAsync();
        // No identity provider is configured here: the page says so, and the key is the way in.
        await Expect(page.Locator("#staff-signin-off")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("API key")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(server.Reviewer.Secret);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review queue" })).ToBeFocusedAsync();
        // The header names the person (for a key, the key's name), never the key id.
        await Expect(page.Locator("#who-text")).ToHaveTextAsync("Signed in: Browser test reviewer \u00b7 reviewer");

        // Tab to the case's link and open it with Enter.
        await TabToAsync(page, $"a[href='#/cases/{id}']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Case {id}" })).ToBeFocusedAsync();

        // Tab to Claim: the focused button shows a visible focus ring; Enter claims.
        var claim = await TabToAsync(page, "button:text('Claim this case')");
        var outline = await claim.EvaluateAsync<string>("b => getComputedStyle(b).outlineStyle + ' ' + getComputedStyle(b).outlineWidth");
        Assert.StartsWith("solid 3px", outline);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("You hold this case now.")).ToBeVisibleAsync();

        // Ask the provider for the missing baselines: radio, reason and text all reachable by label.
        await page.GetByLabel("Request information from the provider").CheckAsync();
        await Expect(page.GetByLabel("Documentation to ask for")).ToHaveValueAsync("clinical.mgAdl.baseline\nclinical.qmg.baseline");
        await page.GetByLabel("Rationale").FillAsync("Please send the MG-ADL and QMG baselines.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record determination" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The case is now pended");
        await Expect(page.Locator("section[aria-labelledby=history-h]")).ToContainTextAsync("information requested");
    }

    [Fact]
    public async Task A_disabled_action_shows_the_services_reason_and_the_filters_are_the_services()
    {
        var pended = await server.SubmitExampleAsync("over-ceiling");
        var id = (string)pended["authorizationId"]!;
        using (var clinician = server.Client(server.Clinician))
            (await clinician.PostAsync($"/v1/authorizations/{id}/claim", null)).EnsureSuccessStatusCode();
        using var reviewer = server.Client(server.Reviewer);
        var actions = JsonNode.Parse(await reviewer.GetStringAsync($"/v1/authorizations/{id}"))!["nextActions"]!.AsArray();
        string Reason(string action) => (string)actions.Single(a => (string)a!["action"]! == action)!["reason"]!;
        Assert.StartsWith("The case is claimed by ", Reason("approve"));
        var page = await browser.NewPageAsync();

        await page.GotoAsync(server.BaseUrl + "/");
        await SignInAsync(page, server.Reviewer.Secret);
        await Expect(page.GetByLabel("Indication").Locator("option[value=pre_thymectomy]")).ToHaveTextAsync("pre thymectomy");
        await Expect(page.GetByLabel("Recommendation").Locator("option")).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();

        // Nothing may be decided while the clinician holds the case: the card gives the reasons the service gave.
        var decide = page.Locator("section[aria-labelledby=decide-h]");
        await Expect(decide).ToContainTextAsync(Reason("approve"));
        await Expect(decide).ToContainTextAsync(Reason("deny"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Claim this case" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".case-head .badge.on_time")).ToContainTextAsync("left");
        await decide.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "reviewer-held.png") });
    }

    [Fact]
    public async Task A_case_pended_for_missing_facts_is_listed_and_opened_showing_what_is_missing()
    {
        // A PAS request that leaves out the indication and the infusion days (what Claim/$submit hands the use case).
        var request = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(MgAuth.Testing.RepositoryFolders.Examples, "exacerbation.json")))!.AsObject();
        request["member"]!["id"] = "M-B" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        request.Remove("indication");
        request["regimen"]!.AsObject().Remove("infusionDays");
        var provider = server.Provider.Record;
        var submitted = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<MgAuth.Cases.Authorizations.AuthorizationService>(server.Services)
            .SubmitAsync(System.Text.Json.JsonSerializer.SerializeToElement(request), provider.OrganizationId,
                new MgAuth.Cases.Data.Actor(provider.Id, provider.Role), null, pendMissingFacts: true);
        var id = submitted.Value.Decision.AuthorizationId;
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(server.BaseUrl + "/");
        await SignInAsync(page, server.Reviewer.Secret);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = id });
        await Expect(row).ToContainTextAsync("DOCUMENTATION_MISSING");
        await Expect(row).ToContainTextAsync("not stated");
        await Expect(row).ToContainTextAsync("regimen.infusionDays");

        await row.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Case {id}" })).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby=reasons-h]")).ToContainTextAsync("DOCUMENTATION_MISSING");
        await Expect(page.Locator("section[aria-labelledby=request-h]")).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby=dw-h]")).ToHaveCountAsync(0);
        await Expect(page.Locator("main")).Not.ToContainTextAsync("null");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "missing-facts-case.png") });
        Assert.Empty(errors);
    }

    private static async Task SignInAsync(IPage page, string secret)
    {
        await page.GetByLabel("API key").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review queue" })).ToBeVisibleAsync();
    }

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has focus.</summary>
    private static async Task<ILocator> TabToAsync(IPage page, string selector)
    {
        var target = page.Locator(selector);
        await Expect(target).ToBeVisibleAsync();
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement")) return target;
        }
        throw new Xunit.Sdk.XunitException($"Tab never reached {selector}");
    }
}
