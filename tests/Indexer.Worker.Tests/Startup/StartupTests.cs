using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Startup;

[TestFixture]
[NonParallelizable]
public sealed class StartupTests
{
    private AnvilNode anvil = null!;
    private SimulationResult chain = null!;

    [OneTimeSetUp]
    public async Task StartAnEmptyChain()
    {
        anvil = await AnvilNode.StartAsync();
        chain = await WorkflowSimulator.RunAsync(new SimulationOptions(anvil.RpcUrl, Workflows: 0, Seed: 1), CancellationToken.None);
    }

    [OneTimeTearDown]
    public Task StopChain() => anvil.DisposeAsync().AsTask();

    [Test]
    public async Task MetricsPortTakenByAnotherProcess_StopsWithAConfigurationErrorNamingIt_NotAStackTrace()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var database = await ObservedDatabase.CreateAsync();
        var environment = Processes.WorkerEnvironment(chain, database);
        environment["METRICS_PORT"] = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var worker = Processes.StartWorker(environment);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var lines = worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), worker.Output);
            Assert.That(lines[^1], Does.StartWith("Configuration error: METRICS_PORT").And.Contain("in use"), worker.Output);
            Assert.That(worker.Output, Does.Not.Contain(" at ").And.Not.Contain("Exception"), "no stack trace");
        });
    }

    [TestCase("RPC_URL", null, "RPC_URL")]
    [TestCase("RPC_URL", "not a url", "RPC_URL")]
    [TestCase("CHAIN_ID", null, "CHAIN_ID")]
    [TestCase("CONTRACT_ADDRESS", "0x1234", "CONTRACT_ADDRESS")]
    [TestCase("BLOCK_START", "abc", "BLOCK_START must be a whole number")]
    [TestCase("CONFIRMATION_BLOCKS", "-1", "CONFIRMATION_BLOCKS")]
    [TestCase("MAX_BLOCK_RANGE", "0", "MAX_BLOCK_RANGE")]
    [TestCase("MAX_LOGS_PER_REQUEST", "0", "MAX_LOGS_PER_REQUEST")]
    [TestCase("RPC_CONCURRENCY", "65", "RPC_CONCURRENCY")]
    [TestCase("DATABASE_URL", "mysql://u:secret-pw@h/db", "DATABASE_URL")]
    [TestCase("METRICS_PORT", "0", "METRICS_PORT")]
    [TestCase("METRICS_HOST", "metrics.internal", "METRICS_HOST")]
    [TestCase("LOG_FORMAT", "xml", "LOG_FORMAT")]
    [TestCase("RPC_URL_FILE", "/nonexistent/x402/rpc-url", "RPC_URL_FILE")]
    public async Task BadConfiguration_StopsWithOneLineNamingTheVariable(string variable, string? value, string expected)
    {
        var database = await ObservedDatabase.CreateAsync();
        var environment = Processes.WorkerEnvironment(chain, database);
        if (value is null)
        {
            environment.Remove(variable);
        }
        else
        {
            environment[variable] = value;
        }

        await using var worker = Processes.StartWorker(environment);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var lines = worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(lines, Has.Length.EqualTo(1), worker.Output);
            Assert.That(worker.Output, Does.Contain(expected));
            Assert.That(worker.Output, Does.Not.Contain("secret-pw"));
            Assert.That(worker.Output, Does.Not.Contain(" at "));
        });
    }

    // The database sessions are opened while the host is built, before the settings are validated: a start that
    // stops on a bad setting must not first wait out their connect timeout (60 s here) on a database that never answers.
    [TestCase(null)]
    [TestCase("replay")]
    public async Task BadSetting_WhileTheDatabaseNeverAnswers_StopsAtOnceWithOneLine(string? command)
    {
        using var silentDatabase = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silentDatabase.Start();
        var port = ((System.Net.IPEndPoint)silentDatabase.LocalEndpoint).Port;
        var environment = Processes.WorkerEnvironment(chain, await ObservedDatabase.CreateAsync());
        environment["DATABASE_URL"] = $"postgresql://x402:secret-pw@127.0.0.1:{port}/x402?Timeout=60";
        environment["CHAIN_ID"] = "-1";

        await using var worker = Processes.StartWorker(environment, command is null ? [] : [command]);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), worker.Output);
            Assert.That(worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), worker.Output);
            Assert.That(worker.Output, Does.Contain("CHAIN_ID").And.Not.Contain("secret-pw"));
        });
    }

    [Test]
    public async Task RpcUrlFromAFile_IsUsed_AndBothFormsSetStopWithOneLine()
    {
        var database = await ObservedDatabase.CreateAsync();
        using var file = await TempFile.WriteAsync("x402-secret-", "rpc-url", chain.RpcUrl + "\n");
        var fromFile = Processes.WorkerEnvironment(chain, database);
        fromFile.Remove("RPC_URL");
        fromFile["RPC_URL_FILE"] = file.Path;
        var both = Processes.WorkerEnvironment(chain, database);
        both["RPC_URL_FILE"] = file.Path;

        await using var reading = Processes.StartWorker(fromFile);
        await using var refused = Processes.StartWorker(both);
        var refusedExit = await refused.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(
            async () => await database.ReplayFinishedAtAsync() is not null, TimeSpan.FromSeconds(60), () => $"the worker should start.\n{reading.Output}");

        Assert.Multiple(() =>
        {
            Assert.That(refusedExit, Is.EqualTo(2), refused.Output);
            Assert.That(refused.Output.Trim(), Is.EqualTo("Configuration error: RPC_URL and RPC_URL_FILE are both set: set only one of them"));
        });
    }

    [Test]
    public async Task ChainIdOtherThanTheNodes_StopsTheWorker()
    {
        var database = await ObservedDatabase.CreateAsync();
        var environment = Processes.WorkerEnvironment(chain, database);
        environment["CHAIN_ID"] = "338";

        await using var worker = Processes.StartWorker(environment);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(worker.Output, Does.Contain("CHAIN_ID is 338 but the node at RPC_URL reports chain 31337"));
        });
    }

    [Test]
    public async Task PendingMigrations_StopTheWorkerBeforeItWritesAnything()
    {
        var database = await ObservedDatabase.CreateAsync(migrate: false);

        await using var worker = Processes.StartWorker(Processes.WorkerEnvironment(chain, database));
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(worker.Output, Does.Contain("migration(s) pending"));
            Assert.That(
                await database.ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"),
                Is.Zero);
        });
    }
}
