using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests;

[SetUpFixture]
public sealed class TestRunFixture
{
    [OneTimeTearDown]
    public Task StopSharedServers() => SharedPostgres.DisposeAsync();
}
