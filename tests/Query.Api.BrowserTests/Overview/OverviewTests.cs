using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Query.Api.BrowserTests.Support;
using TestSupport;

namespace Query.Api.BrowserTests.Overview;

[TestFixture]
public sealed class OverviewTests : DashboardTest
{
    [Test]
    public async Task Overview_ShowsTheCountsTheSimulatorExpects_AndTheIndexersState()
    {
        await OpenOverviewAsync();

        foreach (var (status, expected) in Run.ExpectedCounts())
        {
            await Expect(Page.Locator($"[data-count={status}]")).ToHaveTextAsync(expected.ToString("N0", CultureInfo.InvariantCulture));
        }

        var events = Run.Workflows.Sum(workflow => workflow.Events.Count).ToString("N0", CultureInfo.InvariantCulture);
        await Expect(Page.Locator("[data-fact=eventCount]")).ToHaveTextAsync(events);
        await Expect(Page.Locator("[data-fact=chainId]")).ToHaveTextAsync(AnvilNode.ChainId.ToString(CultureInfo.InvariantCulture));
        await Expect(Page.Locator("[data-fact=rpcCircuit]")).ToHaveTextAsync("closed");
        await Expect(Page.Locator("[data-fact=heartbeat]")).ToContainTextAsync(new Regex(@"\d+ s ago"));
        await Expect(Page.Locator("[data-fact=lag]")).ToHaveTextAsync("0 blocks");
        await Expect(Page.Locator("[data-fact=reorgs]")).ToHaveTextAsync("0");
        // The worker proves what it holds every 2 s here: the latest proof covers every event.
        await Expect(Page.Locator("[data-fact=proofEvents]")).ToHaveTextAsync(events);
        await Expect(Page.Locator("[data-fact=eventLogHash]")).ToHaveTextAsync(new Regex("^0x[0-9a-f]{64}$"));
        // The picture shows the page complete: the chart (or why it is missing) and the stream's state.
        await Expect(Page.Locator("figure.chart svg, [aria-labelledby=activity-title] .message:not([hidden])")).ToBeVisibleAsync();
        await Expect(Page.Locator("body:not([data-live=connecting])")).ToBeAttachedAsync();
        var screenshot = await ScreenshotAsync("overview");
        KeepForTheReadme(screenshot);
    }

    [Test]
    public async Task ActivityChart_CountsEveryWorkflowStartedAndFinished()
    {
        await OpenOverviewAsync();
        var counts = Run.ExpectedCounts();
        var caption = Page.Locator("figure.chart figcaption");

        await Expect(caption).ToContainTextAsync($"{counts["total"]:N0} started, {counts["completed"]:N0} completed, {counts["failed"]:N0} failed, {counts["rejected"]:N0} rejected");
        await Expect(Page.Locator("figure.chart svg .bar-started").First).ToBeAttachedAsync();
        Assert.That(await Page.Locator("figure.chart .chart-data tbody tr").CountAsync(), Is.GreaterThan(0), "a row per bucket with activity");
        await ScreenshotAsync("activity chart");
    }

    [Test]
    public async Task Overview_WhenTheCountsFail_SaysSoAndStillShowsTheIndexer()
    {
        await Page.RouteAsync("**/stats", route => route.FulfillAsync(new()
        {
            Status = 503,
            ContentType = "application/problem+json",
            Body = """{"title":"Service Unavailable","status":503,"detail":"The database is not reachable."}""",
        }));

        await Page.GotoAsync("/");

        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Alert).Filter(new() { HasText = "Counts unavailable" }))
            .ToContainTextAsync("/stats answered 503 (Service Unavailable). The database is not reachable.");
        await Expect(Page.Locator("[data-fact=chainId]")).ToHaveTextAsync(AnvilNode.ChainId.ToString(CultureInfo.InvariantCulture));
        await ScreenshotAsync("counts unavailable");
    }

    [Test]
    public async Task Overview_WhileAReplayRuns_ShowsItsProgress()
    {
        // A replay of this small chain is over in well under a second: the real /status answer is
        // shown as it reads in the middle of one.
        await Page.RouteAsync("**/status", async route =>
        {
            var response = await route.FetchAsync();
            var status = JsonNode.Parse(await response.TextAsync())!;
            status["replay"] = new JsonObject
            {
                ["state"] = "running",
                ["eventsDone"] = 150,
                ["eventsTotal"] = 372,
                ["eventsPerSecond"] = 1234.5,
                ["startedAt"] = "2026-01-01T00:00:00Z",
                ["finishedAt"] = null,
            };
            await route.FulfillAsync(new() { Response = response, Body = status.ToJsonString() });
        });

        await OpenOverviewAsync();

        var progress = Page.GetByRole(Microsoft.Playwright.AriaRole.Progressbar, new() { Name = "Replay in progress" });
        await Expect(progress).ToHaveAttributeAsync("value", "150");
        await Expect(progress).ToHaveAttributeAsync("max", "372");
        await Expect(Page.Locator(".replay")).ToContainTextAsync("150 of 372 events, 1,235 events/s");
        await ScreenshotAsync("replay running");
    }

    /// <summary>UPDATE_DASHBOARD_SCREENSHOT=1 copies the overview to docs/dashboard.png, the README's picture.</summary>
    private static void KeepForTheReadme(string screenshot)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_DASHBOARD_SCREENSHOT") == "1")
        {
            var docs = Directory.CreateDirectory(Path.Combine(RepoLayout.Root, "docs"));
            File.Copy(screenshot, Path.Combine(docs.FullName, "dashboard.png"), overwrite: true);
        }
    }
}
