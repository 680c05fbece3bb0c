using NUnit.Framework;

namespace TestSupport.Tests;

[SetUpFixture]
public sealed class TestRunFixture
{
    [OneTimeTearDown]
    public Task StopSharedServers() => SharedPostgres.DisposeAsync();
}
