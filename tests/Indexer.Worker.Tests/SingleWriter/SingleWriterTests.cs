using Dapper;
using ServiceDefaults.Configuration;
using Npgsql;
using Indexer.Worker.Tests.Backfill;
using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.SingleWriter;

[TestFixture]
[NonParallelizable]
public sealed class SingleWriterTests
{
    private static readonly TimeSpan TakeoverLimit = TimeSpan.FromSeconds(10);

    private AnvilNode anvil = null!;
    private SimulationResult chain = null!;

    [OneTimeSetUp]
    public async Task StartAChain()
    {
        var started = await SimulatedChain.StartAsync(workflows: 40, seed: 31, workflowsPerBlock: 3);
        (anvil, chain) = (started.Anvil, started.Result);
    }

    [OneTimeTearDown]
    public Task StopChain() => anvil.DisposeAsync().AsTask();

    [TestCase(2)]
    [TestCase(3)]
    public async Task KillingTheWriter_HandsWritingToAStandbyWithinTenSeconds_AndNothingIsLostOrDoubled(int workers)
    {
        var database = await ObservedDatabase.CreateAsync();
        var environment = Processes.WorkerEnvironment(chain, database);
        environment["WRITER_LOCK_POLL_MS"] = "200";
        var running = new List<ChildProcess>();
        try
        {
            for (var i = 0; i < workers; i++)
            {
                running.Add(Processes.StartWorker(environment));
            }

            var expectedBlock = chain.LastBlock;
            for (var kill = 0; kill < workers - 1; kill++)
            {
                await Processes.WaitForCatchUpAsync(database, expectedBlock, running[0]);
                var writer = await WaitForOneWriterAmongAsync(database, running);
                Assert.That(await StandbysAsync(database, running), Has.Count.EqualTo(running.Count - 1), "the others stand by");
                await AssertStatusShowsTheWriterAsync(database, writer);

                writer.Kill();
                await writer.WaitForExitAsync(TimeSpan.FromSeconds(10));
                running.Remove(writer);
                var killedAt = DateTime.UtcNow;
                var successor = await WaitForOneWriterAmongAsync(database, running);
                Assert.That(DateTime.UtcNow - killedAt, Is.LessThan(TakeoverLimit), "takeover time");

                var more = await WorkflowSimulator.RunAsync(
                    new SimulationOptions(anvil.RpcUrl, Workflows: 6, Seed: 40 + kill, WorkflowsPerBlock: 2, ContractAddress: chain.ContractAddress),
                    CancellationToken.None);
                await anvil.MineAsync(3);
                expectedBlock = more.LastBlock;
                await Processes.WaitForCatchUpAsync(database, expectedBlock, successor);
            }

            await Assert.MultipleAsync(async () =>
            {
                Assert.That(
                    await database.ScalarAsync("SELECT count(*) - count(DISTINCT (tx_hash, log_index)) FROM chain_event"), Is.Zero, "duplicates");
                Assert.That(
                    await database.ScalarAsync("SELECT event_count FROM sync_checkpoint"), Is.EqualTo(await database.ScalarAsync("SELECT count(*) FROM chain_event")));
                await AssertEqualsAFreshIndexAsync(database, expectedBlock);
            });
        }
        finally
        {
            foreach (var process in running)
            {
                await process.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task AWriterWhoseLockConnectionIsCut_StopsWriting_AndTheLockIsTakenAgain()
    {
        var database = await ObservedDatabase.CreateAsync();
        var environment = Processes.WorkerEnvironment(chain, database);
        environment["WRITER_LOCK_POLL_MS"] = "200";
        await using var first = Processes.StartWorker(environment);
        await using var second = Processes.StartWorker(environment);
        await Processes.WaitForCatchUpAsync(database, chain.LastBlock, first);
        var writer = await WaitForOneWriterAmongAsync(database, [first, second]);

        await using (var admin = new NpgsqlConnection(DatabaseUrl.Parse(database.Url).ConnectionString))
        {
            await admin.ExecuteAsync(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'x402-indexer-writer' AND datname = current_database()");
        }

        await writer.WaitForLineAsync(line => line.Contains("Stopped writing", StringComparison.Ordinal), TakeoverLimit);
        await WaitForOneWriterAmongAsync(database, [first, second]);
        var more = await WorkflowSimulator.RunAsync(
            new SimulationOptions(anvil.RpcUrl, Workflows: 4, Seed: 50, WorkflowsPerBlock: 2, ContractAddress: chain.ContractAddress),
            CancellationToken.None);
        await anvil.MineAsync(3);
        await Processes.WaitForCatchUpAsync(database, more.LastBlock, first);

        Assert.Multiple(() =>
        {
            Assert.That(first.HasExited || second.HasExited, Is.False, "both workers keep running\n" + first.Output + "\n----\n" + second.Output);
            Assert.That(first.Output + second.Output, Does.Not.Contain("moved away from block"), "no write raced another writer");
        });
        await AssertEqualsAFreshIndexAsync(database, more.LastBlock);
    }

    /// <summary>Waits until exactly one advisory-lock holder exists and the status row names one of <paramref name="candidates"/>.</summary>
    private static async Task<ChildProcess> WaitForOneWriterAmongAsync(ObservedDatabase database, IReadOnlyList<ChildProcess> candidates)
    {
        ChildProcess? writer = null;
        await Eventually.TrueAsync(
            async () =>
            {
                var holders = await database.ScalarAsync("""
                    SELECT count(*) FROM pg_locks
                    WHERE locktype = 'advisory' AND granted AND objid = x'78343032'::int
                      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """);
                var instance = await database.TextAsync("SELECT instance_id FROM indexer_status WHERE id = 1");
                writer = candidates.FirstOrDefault(process => instance?.Split(':')[1] == process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var role = instance is null ? null : await database.TextAsync("SELECT role FROM worker_instance WHERE instance_id = @Instance", new { Instance = instance });
                return holders == 1 && writer is not null && role == "writer";
            },
            TakeoverLimit,
            "exactly one worker should hold the writer lock and say so in /status");
        return writer!;
    }

    private static async Task AssertStatusShowsTheWriterAsync(ObservedDatabase database, ChildProcess writer)
    {
        await using var api = await Processes.StartApiAsync(database);
        var status = await api.GetJsonAsync("/status");
        var writerId = status.GetProperty("worker").GetProperty("instanceId").GetString();
        var roles = status.GetProperty("workers").EnumerateArray()
            .Select(worker => (Id: worker.GetProperty("instanceId").GetString(), Role: worker.GetProperty("role").GetString()))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(writerId?.Split(':')[1], Is.EqualTo(writer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "/status names the writer");
            Assert.That(roles, Has.Exactly(1).Matches<(string? Id, string? Role)>(worker => worker.Role == "writer" && worker.Id == writerId));
        });
    }

    private static async Task<IReadOnlyList<string>> StandbysAsync(ObservedDatabase database, IReadOnlyList<ChildProcess> running)
    {
        var standbys = new List<string>();
        await Eventually.TrueAsync(
            async () =>
            {
                standbys = (await database.TextsAsync("SELECT instance_id FROM worker_instance WHERE role = 'standby' AND heartbeat_at > now() - interval '5 seconds'")).ToList();
                return standbys.Count >= running.Count - 1;
            },
            TakeoverLimit,
            "the other workers should report themselves as standbys");
        return standbys;
    }

    private async Task AssertEqualsAFreshIndexAsync(ObservedDatabase database, long lastBlock)
    {
        var fresh = await ObservedDatabase.CreateAsync();
        await using (var worker = Processes.StartWorker(Processes.WorkerEnvironment(chain, fresh)))
        {
            await Processes.WaitForCatchUpAsync(fresh, lastBlock, worker);
        }

        Assert.That(await database.EventLogAsync(), Is.EqualTo(await fresh.EventLogAsync()), "event log");
        Assert.That(await database.ProjectionAsync(), Is.EqualTo(await fresh.ProjectionAsync()), "projection");
    }
}
