using NUnit.Framework;
using Query.Api.BrowserTests.Support;

namespace Query.Api.BrowserTests.Accessibility;

[TestFixture]
public sealed class ConsoleTests : DashboardTest
{
    [Test]
    public async Task EveryPage_LogsNoConsoleErrorOrWarning()
    {
        await OpenOverviewAsync();
        await Expect(Page.Locator("body[data-live=live]")).ToBeAttachedAsync();
        await Expect(Page.Locator("figure.chart svg")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-fact=chainHead]")).ToBeVisibleAsync();

        await Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Workflows", Exact = true }).ClickAsync();
        await WaitForListLoadAsync(0);
        await Page.Locator("table.workflows tbody tr a").First.ClickAsync();
        await Expect(Page.Locator("ol.journey")).ToBeVisibleAsync();

        Assert.That(ConsoleProblems, Is.Empty);
    }
}
