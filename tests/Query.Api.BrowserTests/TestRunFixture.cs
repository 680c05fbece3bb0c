using NUnit.Framework;
using Query.Api.BrowserTests.Support;
using TestSupport;

namespace Query.Api.BrowserTests;

[SetUpFixture]
public sealed class TestRunFixture
{
    [OneTimeTearDown]
    public async Task StopEverything()
    {
        await Chromium.DisposeAsync();
        await DashboardRun.DisposeAsync();
        await SharedPostgres.DisposeAsync();
    }
}
