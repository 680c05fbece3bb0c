using Indexer.Worker.Tests.Crashes;
using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.DatabaseFaults;

/// <summary>
/// Issue 3, part 4: PostgreSQL stopped and started again during backfill, replay and live following.
/// The worker stands by and resumes with nothing lost or duplicated; Query.Api answers 503 meanwhile and
/// recovers by itself. The server is the fixture's own (stopping the shared one would break other tests).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DatabaseFaultTests
{
    private const int ConfirmationBlocks = 3;

    private PostgresServer server = null!;
    private AnvilNode anvil = null!;
    private SimulationResult chain = null!;
    private ObservedDatabase uninterrupted = null!;

    [OneTimeSetUp]
    public async Task StartAServerAndAChainOfOurOwn()
    {
        server = await PostgresServer.StartAsync();
        if (!server.CanStopAndStartAgain)
        {
            Assert.Ignore("The server of TEST_DATABASE_URL cannot be stopped by tests.");
        }

        anvil = await AnvilNode.StartAsync();
        chain = await WorkflowSimulator.RunAsync(new SimulationOptions(anvil.RpcUrl, Workflows: 80, Seed: 404, WorkflowsPerBlock: 2), CancellationToken.None);
        await anvil.MineAsync(ConfirmationBlocks);
        uninterrupted = await Processes.IndexUninterruptedAsync(chain, chain.LastBlock, ConfirmationBlocks);
    }

    [OneTimeTearDown]
    public async Task StopThem()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (anvil is not null)
        {
            await anvil.DisposeAsync();
        }
    }

    [Test]
    public async Task PostgresStoppedMidBackfill_WorkerStandsByAndResumes_ApiAnswers503AndRecovers()
    {
        var database = await ObservedDatabase.CreateAsync(server);
        var aThirdOfTheWay = chain.DeployBlock + ((chain.LastBlock - chain.DeployBlock) / 3);
        // A first worker, told to wait for so many confirmations that it sees the head only a third of the way
        // along, leaves the backfill there: however fast workers get, the outage cannot come after its end.
        var seeingAThird = WorkerEnvironment(chain, database, confirmationBlocks: ConfirmationBlocks + (int)(chain.LastBlock - aThirdOfTheWay));
        await using (var first = Processes.StartWorker(seeingAThird))
        {
            await Processes.WaitForCatchUpAsync(database, aThirdOfTheWay, first);
        }

        await using var api = await Processes.StartApiAsync(database);
        await using var blocker = await WriterBlocker.HoldAsync(database, "SELECT 1 FROM sync_checkpoint WHERE id = 1 FOR UPDATE");
        // One block a range. The worker's first range commit waits on the checkpoint row: PostgreSQL stops inside that transaction.
        await using var worker = Processes.StartWorker(WorkerEnvironment(chain, database, maxBlockRange: 1));
        await blocker.WaitUntilTheWriterWaitsAsync(worker);
        var stoppedAt = await database.ScalarAsync("SELECT last_block FROM sync_checkpoint WHERE id = 1");
        Assert.That(stoppedAt, Is.LessThan(chain.LastBlock), "PostgreSQL must stop mid-backfill");
        await using (await Outage.BeginAsync(server))
        {
            await WorkerDuringOutage.AssertStandsByAndRetriesAsync(worker);
            await ApiDuringOutage.AssertUnavailableAsync(api, chain.Workflows[0].WorkflowId);
        }

        await AssertResumedToTheUninterruptedIndexAsync(worker, database, api, chain.LastBlock, uninterrupted, ExactIndex.EventCount(chain));
    }

    [Test]
    public async Task PostgresStoppedMidReplay_WorkerReplaysAgainOnceBack_ApiAnswers503AndRecovers()
    {
        var database = await ObservedDatabase.CreateAsync(server);
        var environment = WorkerEnvironment(chain, database);
        await using (var seeding = Processes.StartWorker(environment))
        {
            await Processes.WaitForCatchUpAsync(database, chain.LastBlock, seeding);
        }

        // An empty projection, so that only a replay finished after the outage can make it equal the reference again.
        Assert.That(await database.ScalarAsync("WITH gone AS (DELETE FROM workflow_state RETURNING 1) SELECT count(*) FROM gone"), Is.Positive);
        await using var api = await Processes.StartApiAsync(database);
        await using var blocker = await WriterBlocker.HoldAsync(database, "LOCK TABLE workflow_state IN ACCESS SHARE MODE");
        await using var worker = Processes.StartWorker(environment);
        // The replay has streamed the log into its new table and now waits to swap it in.
        await blocker.WaitUntilTheWriterWaitsAsync(worker);
        Assert.That(await database.ScalarAsync("SELECT count(*) FROM indexer_status WHERE replay_state = 'running'"), Is.EqualTo(1));
        await using (await Outage.BeginAsync(server))
        {
            await WorkerDuringOutage.AssertStandsByAndRetriesAsync(worker);
            await ApiDuringOutage.AssertUnavailableAsync(api, chain.Workflows[0].WorkflowId);
            Assert.That(worker.Output, Does.Not.Contain("Replay done"), "PostgreSQL must stop mid-replay");
        }

        await worker.WaitForLineAsync(line => line.Contains("Replay done", StringComparison.Ordinal), Processes.CatchUpTimeout);
        Assert.That(await database.ScalarAsync("SELECT count(*) FROM indexer_status WHERE replay_state = 'done'"), Is.EqualTo(1));
        await AssertResumedToTheUninterruptedIndexAsync(worker, database, api, chain.LastBlock, uninterrupted, ExactIndex.EventCount(chain));
    }

    [Test]
    public async Task PostgresStoppedWhileFollowing_BlocksMinedMeanwhileArriveOnceBack_ApiAnswers503AndRecovers()
    {
        await using var growing = await AnvilNode.StartAsync();
        var before = await WorkflowSimulator.RunAsync(new SimulationOptions(growing.RpcUrl, Workflows: 30, Seed: 405, WorkflowsPerBlock: 3), CancellationToken.None);
        await growing.MineAsync(ConfirmationBlocks);
        var database = await ObservedDatabase.CreateAsync(server);
        await using var api = await Processes.StartApiAsync(database);
        await using var worker = Processes.StartWorker(WorkerEnvironment(before, database));
        await Processes.WaitForCatchUpAsync(database, before.LastBlock, worker);

        SimulationResult added;
        await using (await Outage.BeginAsync(server))
        {
            await WorkerDuringOutage.AssertStandsByAndRetriesAsync(worker);
            await ApiDuringOutage.AssertUnavailableAsync(api, before.Workflows[0].WorkflowId);
            added = await WorkflowSimulator.RunAsync(
                new SimulationOptions(growing.RpcUrl, Workflows: 12, Seed: 406, WorkflowsPerBlock: 3, before.ContractAddress), CancellationToken.None);
            await growing.MineAsync(ConfirmationBlocks);
        }

        var reference = await Processes.IndexUninterruptedAsync(before, added.LastBlock, ConfirmationBlocks);
        await AssertResumedToTheUninterruptedIndexAsync(
            worker, database, api, added.LastBlock, reference, ExactIndex.EventCount(before) + ExactIndex.EventCount(added));
    }

    private static Dictionary<string, string> WorkerEnvironment(
        SimulationResult simulated, ObservedDatabase database, int confirmationBlocks = ConfirmationBlocks, int maxBlockRange = 2000)
    {
        var environment = Processes.WorkerEnvironment(simulated, database, confirmationBlocks, maxBlockRange);
        // A standby retries the lock this often: while PostgreSQL is down, that is how often the worker tries to come back.
        environment["WRITER_LOCK_POLL_MS"] = "200";
        return environment;
    }

    private static async Task AssertResumedToTheUninterruptedIndexAsync(
        ChildProcess worker, ObservedDatabase database, RunningApi api, long lastBlock, ObservedDatabase reference, int canonicalEvents)
    {
        await WorkerDuringOutage.WaitUntilWritingAgainAsync(worker);
        await Processes.WaitForCatchUpAsync(database, lastBlock, worker);
        await ApiDuringOutage.WaitUntilRecoveredAsync(api);
        var served = (await api.GetJsonAsync("/stats")).GetProperty("total").GetInt64();

        Assert.Multiple(async () =>
        {
            Assert.That(worker.HasExited, Is.False, $"the same worker process resumed\n{worker.Output}");
            Assert.That(served, Is.EqualTo(await reference.ScalarAsync("SELECT count(*) FROM workflow_state")), "the API serves the recovered data");
        });
        await ExactIndex.AssertEqualsUninterruptedAsync(database, reference, canonicalEvents);
    }
}
