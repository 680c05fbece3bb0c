using System.Globalization;
using System.Text;
using Indexer.Worker.Chain;
using Indexer.Worker.EventLog;
using Indexer.Worker.Ingestion;
using ServiceDefaults.Configuration;
using Migrations.Notifications;
using Npgsql;
using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Notifications;

/// <summary>
/// The worker announces each commit (range, reorg repair, replay swap) with one NOTIFY in the commit's own
/// transaction: a listener hears of it only once it is visible, never of a commit that rolled back, and
/// the ranges it hears of follow each other without a gap.
/// </summary>
[NonParallelizable]
public sealed class CommitNotificationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Test]
    public async Task EveryCommit_IsAnnouncedOnce_AndWhatItAnnouncesIsVisibleWhenItArrives()
    {
        const int confirmationBlocks = 2;
        await using var anvil = await AnvilNode.StartAsync();
        var kept = await WorkflowSimulator.RunAsync(new SimulationOptions(anvil.RpcUrl, Workflows: 12, Seed: 31, WorkflowsPerBlock: 3), CancellationToken.None);
        var snapshot = await anvil.SnapshotAsync();
        var replaced = await WorkflowSimulator.RunAsync(Attached(anvil, kept, workflows: 4, seed: 32), CancellationToken.None);
        await anvil.MineAsync(confirmationBlocks);

        var database = await ObservedDatabase.CreateAsync();
        await using var listening = await ChangeListening.StartAsync(database.Url);
        await using var worker = Processes.StartWorker(Processes.WorkerEnvironment(kept, database, confirmationBlocks));
        await using var reading = NpgsqlDataSource.Create(DatabaseUrl.Parse(database.Url));

        // The startup replay swaps the projection in first; then the ranges follow each other from BLOCK_START.
        var first = Parse(await listening.NextAsync(Patience));
        Assert.That(first.Kind, Is.EqualTo(ChangeKind.Replay), worker.Output);
        var next = kept.DeployBlock;
        while (next <= replaced.LastBlock)
        {
            var range = await NextRangeAsync(listening, worker);
            var visible = await VisibleAsync(reading, range.ToBlock!.Value);
            Assert.Multiple(() =>
            {
                Assert.That(range.FromBlock, Is.EqualTo(next), "ranges are announced in order, without a gap or overlap");
                Assert.That(visible.Checkpoint, Is.GreaterThanOrEqualTo(range.ToBlock), "the checkpoint it announces is committed");
                Assert.That(visible.HasBlock, Is.True, "the range's last block is recorded");
                Assert.That(visible.Events, Is.EqualTo(EventsUpTo(kept, replaced, range.ToBlock!.Value)), "its events are in the log");
            });
            next = range.ToBlock!.Value + 1;
        }

        await anvil.RevertAsync(snapshot);
        var canonical = await WorkflowSimulator.RunAsync(Attached(anvil, kept, workflows: 10, seed: 33), CancellationToken.None);
        await anvil.MineAsync(confirmationBlocks);

        ChangeNotice repair;
        do
        {
            repair = Parse(await listening.NextAsync(Patience));
        }
        while (repair.Kind == ChangeKind.Range);

        await using (var command = reading.CreateCommand("SELECT common_ancestor, depth, orphaned_events FROM reorg WHERE id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = repair.ReorgId!.Value });
            await using var reorg = await command.ExecuteReaderAsync();
            Assert.That(await reorg.ReadAsync(), Is.True, $"the repair {repair} is committed when it is announced");
            Assert.Multiple(() =>
            {
                Assert.That(repair.Kind, Is.EqualTo(ChangeKind.Reorg));
                Assert.That(reorg.GetInt64(0), Is.EqualTo(repair.Ancestor));
                Assert.That(reorg.GetInt32(1), Is.EqualTo(repair.Depth));
                Assert.That(reorg.GetInt32(2), Is.GreaterThan(0));
            });
        }

        var afterRepair = await NextRangeAsync(listening, worker);
        Assert.That(afterRepair.FromBlock, Is.EqualTo(repair.Ancestor + 1), "ingestion resumes after the common ancestor");
        await Processes.WaitForCatchUpAsync(database, canonical.LastBlock, worker);
        Assert.That(listening.Pending().Select(Encoding.UTF8.GetByteCount), Is.All.LessThan(8000), "NOTIFY payloads stay under PostgreSQL's limit");
    }

    [Test]
    public async Task CommitThatRollsBack_IsNeverAnnounced()
    {
        var database = await ObservedDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(database.Url).ConnectionString);
        await connection.OpenAsync();
        await CheckpointStore.GetOrCreateAsync(connection, chainId: 31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3", startBlock: 10);
        // Fails the transaction at COMMIT, after everything in it (the NOTIFY included) ran, when the checkpoint reaches block 13.
        await using (var poison = new NpgsqlCommand(
            """
            CREATE FUNCTION refuse_block_13() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.last_block = 13 THEN RAISE EXCEPTION 'refused at commit'; END IF;
                RETURN NEW;
            END $$;
            CREATE CONSTRAINT TRIGGER refuse_block_13 AFTER UPDATE ON sync_checkpoint
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_block_13();
            """,
            connection))
        {
            await poison.ExecuteNonQueryAsync();
        }

        await using var listening = await ChangeListening.StartAsync(database.Url);
        await CommitEmptyAsync(connection, 10, 12);
        Assert.That(async () => await CommitEmptyAsync(connection, 13, 13), Throws.InstanceOf<PostgresException>().With.Message.Contains("refused at commit"));
        await CommitEmptyAsync(connection, 13, 14);

        var announced = new[] { await listening.NextAsync(Patience), await listening.NextAsync(Patience) };
        Assert.That(announced, Is.EqualTo(new[]
        {
            """{"kind":"range","fromBlock":10,"toBlock":12}""",
            """{"kind":"range","fromBlock":13,"toBlock":14}""",
        }));
    }

    private static SimulationOptions Attached(AnvilNode anvil, SimulationResult deployed, int workflows, int seed) =>
        new(anvil.RpcUrl, workflows, seed, WorkflowsPerBlock: 2, deployed.ContractAddress);

    private static ChangeNotice Parse(string payload) =>
        ChangeNotice.TryParse(payload) ?? throw new AssertionException($"Not a change notice: {payload}");

    private static async Task<ChangeNotice> NextRangeAsync(ChangeListening listening, TestSupport.ChildProcess worker)
    {
        var notice = Parse(await listening.NextAsync(Patience));
        Assert.That(notice.Kind, Is.EqualTo(ChangeKind.Range), $"{notice}\n{worker.Output}");
        return notice;
    }

    private static int EventsUpTo(SimulationResult kept, SimulationResult replaced, long block) =>
        kept.Workflows.Concat(replaced.Workflows).SelectMany(workflow => workflow.Events).Count(e => e.BlockNumber <= block);

    /// <summary>Read as soon as the notification arrived, on another connection.</summary>
    private static async Task<(long Checkpoint, bool HasBlock, long Events)> VisibleAsync(NpgsqlDataSource database, long block)
    {
        await using var command = database.CreateCommand("""
            SELECT (SELECT last_block FROM sync_checkpoint WHERE id = 1),
                   EXISTS (SELECT 1 FROM ingested_block WHERE block_number = $1),
                   (SELECT count(*) FROM chain_event WHERE block_number <= $1)
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = block });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetBoolean(1), reader.GetInt64(2));
    }

    private static Task CommitEmptyAsync(NpgsqlConnection connection, long from, long to)
    {
        var hash = "0x" + to.ToString("x64", CultureInfo.InvariantCulture);
        var parent = "0x" + (to - 1).ToString("x64", CultureInfo.InvariantCulture);
        var range = new IngestedRange(from, to, [], SkippedLogs: 0, [new ChainBlock(to, hash, parent, Timestamp: 1_700_000_000 + to)]);
        return RangeCommitter.CommitAsync(connection, range, 31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3", CancellationToken.None);
    }
}
