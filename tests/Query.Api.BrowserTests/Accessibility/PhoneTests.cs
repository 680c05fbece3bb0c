using Microsoft.Playwright;
using NUnit.Framework;
using Query.Api.BrowserTests.Support;

namespace Query.Api.BrowserTests.Accessibility;

/// <summary>A phone-sized screen, 375 px wide.</summary>
[TestFixture]
public sealed class PhoneTests : DashboardTest
{
    protected override BrowserNewContextOptions ContextOptions => new()
    {
        ViewportSize = new ViewportSize { Width = 375, Height = 812 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
    };

    [Test]
    public async Task At375PixelsWide_NoPageScrollsSideways()
    {
        await OpenOverviewAsync();
        await ExpectNoSidewaysScrollAsync("overview");

        await OpenListAsync();
        await ExpectNoSidewaysScrollAsync("list");

        await Page.Locator("table.workflows tbody tr a").First.ClickAsync();
        await Expect(Page.Locator("ol.journey")).ToBeVisibleAsync();
        await ExpectNoSidewaysScrollAsync("workflow");
    }

    private async Task ExpectNoSidewaysScrollAsync(string page)
    {
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        await ScreenshotAsync(page);
        Assert.That(widths[0], Is.LessThanOrEqualTo(widths[1]), $"the {page} is no wider than the screen");
    }
}
