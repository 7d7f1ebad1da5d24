using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;
using Microsoft.Playwright;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// The dashboard of the same start, opened in a real headless Chromium (the system's, driven by Playwright): the
/// resources page lists every resource with its state and each pipeline as a row beneath the Submitter; after a Run the
/// pipeline's row shows Succeeded and links its Flink job; the rows' menus hold the commands. PNGs of the page are saved
/// with the test results (<c>.test-results/dashboard-*.png</c>).
/// </summary>
public sealed class DashboardBrowserTests
{
    private static string Screenshots => Path.Combine(RepositoryPaths.Root, ".test-results");

    private static ILocator Row(IPage page, string name) =>
        page.GetByRole(AriaRole.Row).Filter(new LocatorFilterOptions { HasText = name }).First;

    /// <summary>Opens a row's menu and, where the dashboard groups the commands in a submenu, that submenu.</summary>
    private static async Task OpenCommandsAsync(IPage page, ILocator row)
    {
        await row.GetByRole(AriaRole.Button).Last.ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new PageGetByRoleOptions { Name = "View details" }).WaitForAsync();
        var commands = page.GetByRole(AriaRole.Menuitem, new PageGetByRoleOptions { Name = "Commands" });
        if (await commands.CountAsync() > 0)
        {
            await commands.First.ClickAsync();
        }
    }

    [Fact]
    public async Task The_resources_page_shows_each_pipeline_beneath_the_Submitter_and_after_a_Run_its_row_shows_Succeeded()
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
            // Every resource is listed, each with its state; each pipeline is a row with its script, Idle before any run.
            foreach (var name in LoopbackAspireApp.ResourceNamesShown)
            {
                await Assertions.Expect(Row(page, name)).ToContainTextAsync("Running");
            }

            await Assertions.Expect(Row(page, "long-running")).ToContainTextAsync("long_running.py");
            foreach (var name in LoopbackAspireApp.PipelineRows)
            {
                await Assertions.Expect(Row(page, name)).ToContainTextAsync("Idle");
            }

            // A Run, as any client of the dashboard's commands runs it: the row follows the run to its end.
            var run = await loopback.CommandAsync("wordcount", PipelineBuilderExtensions.RunCommand, ct, args: "");
            Assert.True(run.Success, run.Message);
            var wordcount = Row(page, "wordcount");
            await Assertions.Expect(wordcount).ToContainTextAsync("Succeeded");
            await Assertions.Expect(wordcount.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Flink job" })).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-pipelines.png"), FullPage = true });

            // The pipeline's commands are in its row's menu; the Submitter keeps Cancel active runs.
            await OpenCommandsAsync(page, wordcount);
            foreach (var command in new[] { PipelineBuilderExtensions.RunDisplayName, PipelineBuilderExtensions.CancelDisplayName })
            {
                var item = page.GetByRole(AriaRole.Menuitem, new PageGetByRoleOptions { Name = command, Exact = true });
                await Assertions.Expect(item).ToBeVisibleAsync();
                await Assertions.Expect(item).ToBeEnabledAsync();
            }

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-pipeline-commands.png") });
            await page.Keyboard.PressAsync("Escape");

            await OpenCommandsAsync(page, Row(page, ResourceNames.Submitter));
            await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new PageGetByRoleOptions { Name = "Cancel active runs" })).ToBeEnabledAsync();
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-failure.png"), FullPage = true });
            throw;
        }
    }
}
