using System.Globalization;
using Core.Domain.Events;
using Core.Domain.Projection;
using Core.Domain.Proofs;
using Indexer.Worker.Chain;
using Indexer.Worker.EventLog;
using Indexer.Worker.Ingestion;
using Indexer.Worker.Projection;
using Npgsql;
using NUnit.Framework;
using ServiceDefaults.Configuration;

namespace Indexer.Worker.Tests.Ingestion;

/// <summary>
/// A unit spanning several ranges stores every event, each workflow's row once, folded over all the ranges
/// (onto the row stored before the unit), and the checkpoint at its last range; disposed uncommitted, it leaves nothing.
/// </summary>
public sealed class RangeCommitterTests
{
    private const long ChainId = 31337;
    private const string Contract = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private const string Initiator = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private const string Approver = "0x9965507d1a55bcb2695c58ba16fb37d819b0a4dc";
    private const string Workflow = "0x00000000000000000000000000000000000000000000000000000000000000aa";
    private const string Other = "0x00000000000000000000000000000000000000000000000000000000000000bb";

    [Test]
    public async Task A_unit_of_several_ranges_stores_each_workflow_as_the_fold_of_all_its_events()
    {
        var observed = await CheckpointedDatabaseAsync();
        await using var connection = await OpenAsync(observed);
        var before = Range(100, 100, Started(Workflow, 100));
        var ranges = new[]
        {
            Range(101, 101, Started(Other, 101)),
            Range(102, 103, Decided(Workflow, 103)),
            Range(104, 104, Failed(Other, 104)),
        };
        await RangeCommitter.CommitAsync(connection, before, ChainId, Contract, CancellationToken.None);

        await using (var unit = await RangeCommitter.BeginAsync(connection, ChainId, Contract, CancellationToken.None))
        {
            foreach (var range in ranges)
            {
                await unit.AppendAsync(range, CancellationToken.None);
            }

            var committed = await unit.CommitAsync(CancellationToken.None);
            Assert.That(committed, Is.EqualTo(new CommittedUnit(101, 104, BlockHash(104), Ranges: 3, Events: 3, SkippedLogs: 0)));
        }

        var expected = ProjectionFold.Fold(ranges.Prepend(before).SelectMany(range => range.Events).Select(ingested => ingested.Event));
        var stored = await WorkflowStateStore.LoadAsync(connection, [Workflow, Other], CancellationToken.None);
        Assert.That(stored.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (workflowId, state) in expected)
        {
            Assert.That(ProjectionRow.Of(stored[workflowId]), Is.EqualTo(ProjectionRow.Of(state)), workflowId);
        }

        Assert.That(await observed.LastIngestedBlockAsync(), Is.EqualTo(104));
        Assert.That(await observed.ScalarAsync("SELECT count(*) FROM chain_event"), Is.EqualTo(4));
        Assert.That(
            await observed.ScalarAsync("SELECT count(*) FROM ingested_block"), Is.EqualTo(4), "the blocks holding events and each range's last: 100, 101, 103, 104");
    }

    [Test]
    public async Task A_unit_disposed_before_its_commit_leaves_nothing()
    {
        var observed = await CheckpointedDatabaseAsync();
        await using var connection = await OpenAsync(observed);
        await using (var unit = await RangeCommitter.BeginAsync(connection, ChainId, Contract, CancellationToken.None))
        {
            await unit.AppendAsync(Range(100, 101, Started(Workflow, 100)), CancellationToken.None);
            await unit.AppendAsync(Range(102, 102, Decided(Workflow, 102)), CancellationToken.None);
        }

        Assert.That(await observed.LastIngestedBlockAsync(), Is.EqualTo(99));
        Assert.That(await observed.ScalarAsync("SELECT count(*) FROM chain_event"), Is.Zero);
        Assert.That(await observed.ScalarAsync("SELECT count(*) FROM workflow_state"), Is.Zero);
    }

    /// <summary>A fresh database whose checkpoint starts at block 100.</summary>
    private static async Task<ObservedDatabase> CheckpointedDatabaseAsync()
    {
        var observed = await ObservedDatabase.CreateAsync();
        await using var connection = await OpenAsync(observed);
        await CheckpointStore.GetOrCreateAsync(connection, ChainId, Contract, startBlock: 100);
        return observed;
    }

    private static async Task<NpgsqlConnection> OpenAsync(ObservedDatabase observed)
    {
        var connection = new NpgsqlConnection(DatabaseUrl.Parse(observed.Url).ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static IngestedRange Range(long from, long to, params IngestedEvent[] events) =>
        new(from, to, events, SkippedLogs: 0, events.Select(log => log.Event.Position.BlockNumber).Append(to).Distinct().Order().Select(Block).ToList());

    private static ChainBlock Block(long number) => new(number, BlockHash(number), BlockHash(number - 1), Timestamp(number));

    private static IngestedEvent Started(string workflowId, long block) =>
        Log(block, position => new WorkflowStarted(workflowId, position, Timestamp(block), Initiator), Initiator);

    private static IngestedEvent Decided(string workflowId, long block) =>
        Log(block, position => new DecisionRecorded(workflowId, position, Timestamp(block), true, "ok"), Approver);

    private static IngestedEvent Failed(string workflowId, long block) =>
        Log(block, position => new WorkflowFailed(workflowId, position, Timestamp(block), "timeout"), Approver);

    private static IngestedEvent Log(long block, Func<EventPosition, WorkflowEvent> create, string sender) =>
        new(create(new EventPosition(block, 0, 0)), TxHash(block), sender, BlockHash(block));

    private static long Timestamp(long block) => 1_700_000_000 + (block * 12);

    private static string BlockHash(long block) => "0x" + block.ToString("x64", CultureInfo.InvariantCulture);

    private static string TxHash(long block) => "0x" + (block + 1_000_000).ToString("x64", CultureInfo.InvariantCulture);
}
