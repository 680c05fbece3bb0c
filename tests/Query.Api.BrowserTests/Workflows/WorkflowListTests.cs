using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Query.Api.BrowserTests.Support;

namespace Query.Api.BrowserTests.Workflows;

[TestFixture]
public sealed class WorkflowListTests : DashboardTest
{
    [Test]
    public async Task FirstPage_ShowsTheNewestWorkflows()
    {
        await OpenListAsync();

        var expected = Expected.NewestFirst(Run.Workflows).Take(25).ToList();
        Assert.That(await ListedIdsAsync(), Is.EqualTo(expected));
        await ScreenshotAsync("list");
    }

    [Test]
    public async Task StatusFilter_FollowingNext_ShowsEveryMatchingWorkflowOnce()
    {
        await OpenListAsync();
        await Page.GetByLabel("completed").CheckAsync();
        await Page.GetByLabel("failed").CheckAsync();
        var loads = await ListLoadsAsync();
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await WaitForListLoadAsync(loads);
        await Expect(Page).ToHaveURLAsync(new Regex("status=completed&status=failed"));

        var expected = Expected.NewestFirst(Run.Workflows.Where(workflow => workflow.ExpectedStatus is "completed" or "failed"));
        Assert.That(expected, Has.Count.GreaterThan(50), "enough for three pages of 25");
        var seen = new List<string>(await ListedIdsAsync());
        await ScreenshotAsync("first page");
        var next = Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Next page" });
        while (await next.CountAsync() > 0)
        {
            loads = await ListLoadsAsync();
            await next.ClickAsync();
            await WaitForListLoadAsync(loads);
            seen.AddRange(await ListedIdsAsync());
        }

        await ScreenshotAsync("last page");
        Assert.That(seen, Is.EqualTo(expected));
        await Expect(Page.Locator(".pager")).ToContainTextAsync("End of the list.");
    }

    [Test]
    public async Task InitiatorPayeeAndStartTime_Combined_ShowExactlyTheMatchingWorkflows()
    {
        var workflows = Run.Workflows;
        var initiator = workflows.GroupBy(workflow => workflow.Initiator).MaxBy(group => group.Count())!.Key;
        var payee = workflows.Where(workflow => workflow.Initiator == initiator)
            .SelectMany(Expected.Payees).GroupBy(to => to).MaxBy(group => group.Count())!.Key;
        var starts = workflows.Select(Expected.StartedAt).Order().ToList();
        var (from, to) = (starts[starts.Count / 5], starts[starts.Count * 4 / 5]);
        var expected = Expected.NewestFirst(workflows.Where(workflow =>
            workflow.Initiator == initiator
            && Expected.Payees(workflow).Contains(payee)
            && Expected.StartedAt(workflow) >= from
            && Expected.StartedAt(workflow) <= to));
        Assert.That(expected, Is.Not.Empty, "the combination matches some workflows");

        await OpenListAsync();
        await Page.GetByLabel("Initiator").FillAsync(initiator.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal));
        await Page.GetByLabel("Payee").FillAsync(payee);
        await Page.GetByLabel("Started from (UTC)").FillAsync(DateTimeInput(from));
        await Page.GetByLabel("Started to (UTC)").FillAsync(DateTimeInput(to));
        await Page.GetByLabel("Rows per page").SelectOptionAsync("100");
        var loads = await ListLoadsAsync();
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await WaitForListLoadAsync(loads);

        Assert.That(await ListedIdsAsync(), Is.EqualTo(expected));
        await Expect(Page.Locator(".summary")).ToContainTextAsync($"of {expected.Count} matching workflows");
        await ScreenshotAsync("filtered");
    }

    [Test]
    public async Task AMalformedInitiator_IsRefusedByTheFormWithAMessage()
    {
        await OpenListAsync();
        var initiator = Page.GetByLabel("Initiator");
        await initiator.FillAsync("0x1234");
        var loads = await ListLoadsAsync();
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();

        Assert.That(await initiator.EvaluateAsync<string>("input => input.validationMessage"), Is.EqualTo("Enter 0x followed by 40 hex digits."));
        Assert.That(await ListLoadsAsync(), Is.EqualTo(loads), "nothing was asked of the API");
    }

    [Test]
    public async Task AStartOnAWholeMinute_IsAskedForAtThatSecond()
    {
        var start = new DateTimeOffset(2026, 11, 29, 20, 56, 0, TimeSpan.Zero);
        await OpenListAsync();
        await Page.GetByLabel("Started from (UTC)").FillAsync(DateTimeInput(start.ToUnixTimeSeconds()));
        var loads = await ListLoadsAsync();
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await WaitForListLoadAsync(loads);

        await Expect(Page).ToHaveURLAsync(new Regex($"startedFrom={start.ToUnixTimeSeconds()}(&|$)"));
        await Expect(Page.GetByLabel("Started from (UTC)")).ToHaveValueAsync("2026-11-29T20:56");
    }

    // Chromium writes a datetime-local value without ":00" seconds, and Playwright refuses a fill whose text the input
    // does not keep as typed ("Malformed value"), so a whole minute is typed the way the browser writes it.
    private static string DateTimeInput(long unixSeconds)
    {
        var utc = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime;
        var format = utc.Second == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }
}
