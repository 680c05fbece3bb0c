using TestSupport;

namespace Benchmark.Tests;

[SetUpFixture]
public sealed class TestRunFixture
{
    [OneTimeTearDown]
    public async Task StopSharedServer() => await SharedPostgres.DisposeAsync();
}
