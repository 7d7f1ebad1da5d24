using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;
using Microsoft.Playwright;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// The dashboard of the same start, opened in a real headless Chromium (the system's, driven by Playwright): the
/// resources page lists every resource with its state, and the Submitter's commands are in its menu. A PNG of the page
/// is saved with the test results (<c>.test-results/dashboard-resources.png</c>).
/// </summary>
public sealed class DashboardBrowserTests
{
    private static string Screenshots => Path.Combine(RepositoryPaths.Root, ".test-results");

    [Fact]
    public async Task The_resources_page_lists_every_resource_with_its_state_and_the_Submitters_commands()
    {
        var chromium = SystemChromium.Find();
        if (chromium is null)
        {
            Assert.Skip("No Chromium on PATH (chromium, chromium-browser, google-chrome); ./test.sh installs Debian's chromium package.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var loopback = await LoopbackAspireApp.StartAsync(dashboard: true, ct);
        await loopback.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Submitter, ct);
        var dashboardUrl = await loopback.App.GetDashboardUrlAsync(ct);
        Assert.True(dashboardUrl.IsAbsoluteUri, $"the dashboard URL is {dashboardUrl}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(dashboardUrl.ToString());

        try
        {
            // Every resource is listed, each with its state.
            foreach (var name in LoopbackAspireApp.ResourceNamesShown)
            {
                var row = page.GetByRole(AriaRole.Row).Filter(new LocatorFilterOptions { HasText = name }).First;
                await row.WaitForAsync();
                await Assertions.Expect(row).ToContainTextAsync("Running");
            }

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-resources.png"), FullPage = true });

            // The Submitter's commands are in its row's menu, under Commands.
            var submitter = page.GetByRole(AriaRole.Row).Filter(new LocatorFilterOptions { HasText = ResourceNames.Submitter }).First;
            await submitter.GetByRole(AriaRole.Button).Last.ClickAsync();
            await page.GetByRole(AriaRole.Menuitem).Filter(new LocatorFilterOptions { HasText = "Commands" }).First.ClickAsync();
            foreach (var command in new[] { "Run wordcount", "Run forever", "Cancel active runs" })
            {
                var item = page.GetByRole(AriaRole.Menuitem).Filter(new LocatorFilterOptions { HasText = command }).First;
                await Assertions.Expect(item).ToBeVisibleAsync();
                await Assertions.Expect(item).ToBeEnabledAsync();
            }

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-submitter-commands.png") });
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-failure.png"), FullPage = true });
            throw;
        }
    }
}
