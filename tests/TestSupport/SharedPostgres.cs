using NUnit.Framework;

namespace TestSupport;

/// <summary>
/// One <see cref="PostgresServer"/> per test process, started on first use. Tests take their own
/// database from it; tests that stop the server must start their own <see cref="PostgresServer"/>.
/// Call <see cref="DisposeAsync"/> from a [SetUpFixture]'s [OneTimeTearDown].
/// </summary>
public static class SharedPostgres
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(StartAsync);

    public static Task<PostgresServer> GetAsync() => Server.Value;

    public static async Task DisposeAsync()
    {
        if (Server.IsValueCreated)
        {
            await (await Server.Value).DisposeAsync();
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var started = DateTime.UtcNow;
        var server = await PostgresServer.StartAsync();
        TestContext.Progress.WriteLine(
            $"PostgreSQL for tests: {server.Description}, ready in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        // A safety net for test projects without the teardown: the test host may be killed before the temp
        // folder is deleted, but the server process at least does not outlive the run.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
