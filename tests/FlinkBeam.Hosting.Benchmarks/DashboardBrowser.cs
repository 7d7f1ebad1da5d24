using System.Diagnostics;
using FlinkBeam.Testing;
using Microsoft.Playwright;

namespace FlinkBeam.Hosting.Benchmarks;

/// <summary>The system's Chromium, headless, driven by Playwright, started once so that no start pays for it.</summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright? _playwright;
    private readonly IBrowser? _browser;

    private DashboardBrowser(IPlaywright? playwright, IBrowser? browser, string? missing)
    {
        _playwright = playwright;
        _browser = browser;
        Missing = missing;
    }

    /// <summary>Why there is no browser, or null.</summary>
    public string? Missing { get; }

    public static async Task<DashboardBrowser> StartAsync()
    {
        if (SystemChromium.Find() is not { } chromium)
        {
            return new DashboardBrowser(null, null, "no Chromium on PATH (chromium, chromium-browser, google-chrome).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new DashboardBrowser(playwright, browser, null);
    }

    /// <summary>
    /// Opens the dashboard's resources page and returns <paramref name="clock"/>'s time when the row of
    /// <paramref name="resource"/> first shows <paramref name="text"/>; null without a browser or past <paramref name="limit"/>.
    /// </summary>
    public async Task<TimeSpan?> RowShowsAsync(string dashboardUrl, string resource, string text, Stopwatch clock, TimeSpan limit)
    {
        if (_browser is null)
        {
            return null;
        }

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        try
        {
            await page.GotoAsync(dashboardUrl);
            var row = page.GetByRole(AriaRole.Row)
                .Filter(new LocatorFilterOptions { HasText = resource })
                .Filter(new LocatorFilterOptions { HasText = text })
                .First;
            await row.WaitForAsync(new LocatorWaitForOptions { Timeout = (float)Math.Max(1, (limit - clock.Elapsed).TotalMilliseconds) });
            return clock.Elapsed;
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
