using NUnit.Framework;
using TestSupport;

namespace Migrations.Tests;

[SetUpFixture]
public sealed class TestRunFixture
{
    [OneTimeTearDown]
    public Task StopSharedServers() => SharedPostgres.DisposeAsync();
}
