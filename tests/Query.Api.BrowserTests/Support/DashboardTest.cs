using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Microsoft.Playwright.NUnit;
using NUnit.Framework;

namespace Query.Api.BrowserTests.Support;

/// <summary>
/// A test in a fresh browser context on the dashboard of <see cref="DashboardRun"/>: records what the
/// console said, and attaches a screenshot of every page it looks at (and of the last one) to the result.
/// </summary>
public abstract class DashboardTest : PlaywrightTest
{
    /// <summary>The machine is shared and slow at times: conditions get this long to hold.</summary>
    protected const float ExpectTimeoutMs = 30_000;

    private readonly List<string> _consoleProblems = [];
    private IBrowserContext? _context;
    private int _screenshots;

    protected DashboardRun Run { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    /// <summary>Console errors and warnings, and uncaught exceptions, of every page of this test so far.</summary>
    protected IReadOnlyList<string> ConsoleProblems
    {
        get
        {
            lock (_consoleProblems)
            {
                return [.. _consoleProblems];
            }
        }
    }

    /// <summary>The browser window of the test; phones override it.</summary>
    protected virtual BrowserNewContextOptions ContextOptions => new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } };

    [SetUp]
    public async Task OpenTheDashboard()
    {
        SetDefaultExpectTimeout(ExpectTimeoutMs);
        _screenshots = 0;
        lock (_consoleProblems)
        {
            _consoleProblems.Clear();
        }

        Run = await DashboardRun.GetAsync();
        var browser = await Chromium.GetAsync(Playwright);
        var options = ContextOptions;
        options.BaseURL = Run.ApiUrl;
        _context = await browser.NewContextAsync(options);
        _context.SetDefaultTimeout(ExpectTimeoutMs);
        Page = await _context.NewPageAsync();
        Page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Record($"console {message.Type} on {message.Location}: {message.Text}");
            }
        };
        Page.PageError += (_, error) => Record($"uncaught error: {error}");
    }

    [TearDown]
    public async Task CloseTheDashboard()
    {
        if (_context is null)
        {
            return;
        }

        await ScreenshotAsync("at the end");
        await _context.CloseAsync();
        _context = null;
    }

    /// <summary>Saves a full-page screenshot and attaches it to the test result; returns its path.</summary>
    protected async Task<string> ScreenshotAsync(string description)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var name = Regex.Replace($"{TestContext.CurrentContext.Test.Name}-{++_screenshots}-{description}", "[^A-Za-z0-9_.-]+", "-");
        var path = Path.Combine(folder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, description);
        return path;
    }

    /// <summary>Opens the overview and waits until its counts are shown.</summary>
    protected async Task OpenOverviewAsync()
    {
        await Page.GotoAsync("/");
        await Expect(Page.Locator("[data-count=total]")).ToBeVisibleAsync();
    }

    /// <summary>Opens the list at <paramref name="hash"/> (e.g. "#/workflows") and waits for its first answer.</summary>
    protected async Task OpenListAsync(string hash = "#/workflows")
    {
        await Page.GotoAsync("/" + hash);
        await WaitForListLoadAsync(0);
    }

    /// <summary>How many answers the list has shown so far (each load counts one).</summary>
    protected Task<int> ListLoadsAsync() =>
        Page.Locator("table.workflows").EvaluateAsync<int>("table => Number(table.dataset.loads ?? 0)");

    /// <summary>Waits until the list has shown more than <paramref name="loadsBefore"/> answers.</summary>
    protected async Task WaitForListLoadAsync(int loadsBefore)
    {
        await Page.WaitForFunctionAsync(
            "before => Number(document.querySelector('table.workflows')?.dataset.loads ?? 0) > before", loadsBefore);
    }

    /// <summary>Workflow ids in the list's rows, top to bottom.</summary>
    protected async Task<IReadOnlyList<string>> ListedIdsAsync() =>
        await Page.Locator("table.workflows tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.workflowId)");

    private void Record(string problem)
    {
        lock (_consoleProblems)
        {
            _consoleProblems.Add(problem);
        }
    }
}
