using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests;

[SetUpFixture]
public sealed class TestRunFixture
{
    [OneTimeTearDown]
    public async Task StopSharedProcessesAndServers()
    {
        await SeededApi.DisposeAsync();
        await GeneratedApi.DisposeAsync();
        await SharedPostgres.DisposeAsync();
    }
}
