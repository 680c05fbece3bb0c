using NUnit.Framework;
using Query.Api.BrowserTests.Support;

namespace Query.Api.BrowserTests.CrossOrigin;

/// <summary>A page served from another origin calls the API from the browser: CORS_ORIGINS decides.</summary>
[TestFixture]
public sealed class CrossOriginTests : DashboardTest
{
    [Test]
    public async Task APageFromAnOriginInCorsOrigins_ReadsTheApiAndItsLinkHeader()
    {
        await Page.GotoAsync(Run.AllowedOrigin.Origin + "/");

        await Expect(Page.Locator("#result")).ToHaveTextAsync("list:200 link:yes stats:200");
        await ScreenshotAsync("allowed origin");
    }

    [Test]
    public async Task APageFromAnyOtherOrigin_IsBlockedByTheBrowser()
    {
        await Page.GotoAsync(Run.OtherOrigin.Origin + "/");

        await Expect(Page.Locator("#result")).ToHaveTextAsync("list:blocked stats:blocked");
        Assert.That(ConsoleProblems, Has.Some.Contains("blocked by CORS policy"), "the browser says why");
        await ScreenshotAsync("other origin");
    }
}
