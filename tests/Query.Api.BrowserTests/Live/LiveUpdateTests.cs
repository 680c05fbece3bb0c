using NUnit.Framework;
using Query.Api.BrowserTests.Support;

namespace Query.Api.BrowserTests.Live;

[TestFixture]
public sealed class LiveUpdateTests : DashboardTest
{
    [Test]
    public async Task AWorkflowMinedOnAnvil_AppearsOnTheOpenListWithoutAReload()
    {
        await OpenListAsync();
        await Expect(Page.Locator("body[data-live=live]")).ToBeAttachedAsync();
        // A reload would start a new document, without this mark.
        await Page.EvaluateAsync("() => { window.stillTheSamePage = true; }");

        var mined = await Run.MineWorkflowAsync();

        var row = Page.Locator($"table.workflows tbody tr[data-workflow-id='{mined.WorkflowId}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("[data-status]")).ToHaveTextAsync(mined.ExpectedStatus);
        Assert.Multiple(async () =>
        {
            Assert.That(await Page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), Is.True, "the page was not reloaded");
            Assert.That((await ListedIdsAsync())[0], Is.EqualTo(mined.WorkflowId), "the newest workflow is on top");
        });
        await ScreenshotAsync("new workflow on top");
    }
}
