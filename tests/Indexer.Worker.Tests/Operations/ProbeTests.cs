using System.Net;
using Indexer.Worker.Tests.Backfill;
using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Operations;

/// <summary>The worker's probes on its operations listener (METRICS_HOST:METRICS_PORT), over real HTTP.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private AnvilNode anvil = null!;
    private SimulationResult chain = null!;

    [OneTimeSetUp]
    public async Task StartAChain()
    {
        var started = await SimulatedChain.StartAsync(workflows: 5, seed: 81, workflowsPerBlock: 2);
        (anvil, chain) = (started.Anvil, started.Result);
    }

    [OneTimeTearDown]
    public Task StopChain() => anvil.DisposeAsync().AsTask();

    [Test]
    public async Task WriterAndStandby_AreBothLiveAndReady_EachNamingItsRole()
    {
        var database = await ObservedDatabase.CreateAsync();
        var environment = Processes.WorkerEnvironment(chain, database);
        await using var first = WorkerProbe.Start(environment);
        await Processes.WaitForCatchUpAsync(database, chain.LastBlock, first.Process);
        await using var second = WorkerProbe.Start(environment);

        var firstReady = await first.WaitForReadyAsync(HttpStatusCode.OK, Timeout);
        var secondReady = await second.WaitForReadyAsync(HttpStatusCode.OK, Timeout);
        var live = await second.GetAsync("/health/live");

        Assert.Multiple(() =>
        {
            Assert.That((string?)firstReady["status"], Is.EqualTo("healthy"));
            Assert.That((string?)firstReady["checks"]!["database"]!["status"], Is.EqualTo("healthy"));
            Assert.That((string?)firstReady["checks"]!["role"]!["description"], Is.EqualTo("writer"));
            Assert.That((string?)secondReady["checks"]!["role"]!["description"], Is.EqualTo("standby"), "a healthy standby is ready");
            Assert.That(live.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(live.Body, Is.EqualTo("""{"status":"healthy","checks":{}}"""));
        });
    }

    [Test]
    public async Task DatabaseStopped_ReadyAnswers503WhileLiveStays200_AndReadyComesBack()
    {
        await using var server = await PostgresServer.StartAsync();
        if (!server.CanStopAndStartAgain)
        {
            Assert.Ignore("The server of TEST_DATABASE_URL cannot be stopped by tests.");
        }

        var database = await ObservedDatabase.CreateAsync(server);
        await using var worker = WorkerProbe.Start(Processes.WorkerEnvironment(chain, database));
        await worker.WaitForReadyAsync(HttpStatusCode.OK, Timeout);

        await server.StopAsync();
        var unready = await worker.WaitForReadyAsync(HttpStatusCode.ServiceUnavailable, Timeout);
        var live = await worker.GetAsync("/health/live");
        Assert.Multiple(() =>
        {
            Assert.That((string?)unready["status"], Is.EqualTo("unhealthy"));
            Assert.That((string?)unready["checks"]!["database"]!["status"], Is.EqualTo("unhealthy"));
            Assert.That(live.Status, Is.EqualTo(HttpStatusCode.OK), "liveness does not depend on the database");
        });

        await server.StartAgainAsync();
        var ready = await worker.WaitForReadyAsync(HttpStatusCode.OK, Timeout);
        Assert.That((string?)ready["checks"]!["database"]!["status"], Is.EqualTo("healthy"), worker.Process.Output);
    }
}
