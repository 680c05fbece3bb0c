using NUnit.Framework;
using Simulator.Simulation;

namespace Query.Api.Tests.Streaming;

/// <summary>
/// GET /stream end to end: workflows mined on anvil, indexed by the worker process (which NOTIFYs with each
/// commit), streamed by the API process; reconnection with Last-Event-ID, and a reorg.
/// </summary>
[NonParallelizable]
public sealed class StreamOnChainTests
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromMinutes(2);

    [Test]
    public async Task MinedWorkflows_ArriveAsWorkflowEvents_AndStatusEventsFollowTheCheckpoint()
    {
        await using var indexer = await LiveIndexer.StartAsync();
        await using var stream = await indexer.OpenAsync();
        var opening = await stream.NextAsync();

        var first = await indexer.MineWorkflowsAsync(workflows: 6, seed: 71);
        var events = await stream.TakeUntilAsync(e => IsStatusReaching(e, first.LastBlock), CatchUp);
        var second = await indexer.MineWorkflowsAsync(workflows: 6, seed: 74);
        events.AddRange(await stream.TakeUntilAsync(e => IsStatusReaching(e, second.LastBlock), CatchUp));

        var workflowEvents = events.Where(e => e.Is("workflow")).ToList();
        var statuses = events.Where(e => e.Is("status")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(opening.Is("status"), opening.ToString());
            Assert.That(events.Where(e => !e.IsKeepAlive).Select(e => e.Id), Is.All.Not.Null.And.Not.Empty, "every event has an id");
            Assert.That(workflowEvents.Select(Position), Is.EqualTo(ExpectedPositions(first).Concat(ExpectedPositions(second))), EventStream.Describe(events));
            foreach (var workflow in first.Workflows.Concat(second.Workflows))
            {
                var last = workflowEvents.Last(e => e.WorkflowId == workflow.WorkflowId);
                Assert.That(last.Json["status"]!.GetValue<string>(), Is.EqualTo(workflow.ExpectedStatus), workflow.WorkflowId);
            }

            var indexed = statuses.Select(e => e.Json["lastIndexedBlock"]!.GetValue<long>()).ToList();
            Assert.That(indexed, Is.Ordered.And.Unique, "a status each time the checkpoint moved, and only then");
            Assert.That(indexed, Has.Some.LessThan(second.LastBlock), "the first round's status came before the second round's");
            Assert.That(statuses.Select(e => e.Id!.Split('.')[0]), Is.EqualTo(indexed.Select(block => block.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                "a status's id is the end of the last indexed block");
            Assert.That(statuses[^1].Json["chainHead"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(second.LastBlock));
        });
    }

    [Test]
    public async Task Reconnecting_WithLastEventId_GetsExactlyTheEventsItMissed()
    {
        await using var indexer = await LiveIndexer.StartAsync();
        await using var continuous = await indexer.OpenAsync();
        string lastSeen;
        await using (var interrupted = await indexer.OpenAsync())
        {
            var first = await indexer.MineWorkflowsAsync(workflows: 6, seed: 72);
            var seen = await interrupted.TakeUntilAsync(e => IsStatusReaching(e, first.LastBlock), CatchUp);
            // The client goes away after a workflow event in the middle of what it got.
            var workflowEvents = seen.Where(e => e.Is("workflow")).ToList();
            lastSeen = workflowEvents[workflowEvents.Count / 2].Id!;
        }

        var second = await indexer.MineWorkflowsAsync(workflows: 6, seed: 73);
        var reference = await continuous.TakeUntilAsync(e => IsStatusReaching(e, second.LastBlock), CatchUp);
        await using var resumed = await indexer.OpenAsync(lastEventId: lastSeen);
        var caughtUp = await resumed.TakeUntilAsync(e => e.Is("status"), CatchUp);

        var missed = reference.SkipWhile(e => e.Id != lastSeen).Skip(1).Where(e => e.Is("workflow")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(missed, Is.Not.Empty, "the interrupted client missed events");
            Assert.That(caughtUp.Where(e => e.Is("workflow")).Select(e => (e.Id, e.WorkflowId)), Is.EqualTo(missed.Select(e => (e.Id, e.WorkflowId))),
                $"missed:\n{EventStream.Describe(missed)}\ncaught up:\n{EventStream.Describe(caughtUp)}");
            Assert.That(caughtUp[^1].Id, Is.EqualTo(reference[^1].Id), "the catch-up ends at the same checkpoint");
        });
    }

    [Test]
    public async Task DeepReorg_SendsAReorgEvent_AndAnIdFromTheReplacedBlocksGetsAReset()
    {
        await using var indexer = await LiveIndexer.StartAsync();
        await using var stream = await indexer.OpenAsync();
        var kept = await indexer.MineWorkflowsAsync(workflows: 6, seed: 81);
        var snapshot = await indexer.Anvil.SnapshotAsync();
        var replaced = await indexer.MineWorkflowsAsync(workflows: 4, seed: 82, perBlock: 2);
        var beforeReorg = await stream.TakeUntilAsync(e => IsStatusReaching(e, replaced.LastBlock), CatchUp);
        var orphanedId = beforeReorg.Last(e => e.Is("workflow") && e.BlockNumber > kept.LastBlock).Id!;

        await indexer.Anvil.RevertAsync(snapshot);
        var canonical = await indexer.MineWorkflowsAsync(workflows: 12, seed: 83, perBlock: 1);
        Assert.That(canonical.LastBlock, Is.GreaterThan(replaced.LastBlock), "the new chain must outgrow the old one");
        var afterReorg = await stream.TakeUntilAsync(e => IsStatusReaching(e, canonical.LastBlock), CatchUp);

        var reorg = afterReorg.Single(e => e.Is("reorg"));
        var depth = await indexer.ScalarAsync<int>("SELECT depth FROM reorg");
        var ancestor = await indexer.ScalarAsync<long>("SELECT common_ancestor FROM reorg");
        var ancestorHash = await indexer.ScalarAsync<string>($"SELECT block_hash FROM ingested_block WHERE block_number = {ancestor}");
        var afterRepair = afterReorg.SkipWhile(e => !e.Is("reorg")).Skip(1).Where(e => e.Is("workflow")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(reorg.Data, Is.EqualTo($$"""{"depth":{{depth}},"ancestor":{{ancestor}}}"""));
            Assert.That(reorg.Id, Is.EqualTo($"{ancestor}.{ancestorHash[2..18]}"), "the stream goes on from the end of the common ancestor");
            Assert.That(afterRepair.Where(e => e.Id!.Split('.').Length == 4).Select(e => e.WorkflowId).Distinct(),
                Is.SupersetOf(canonical.Workflows.Select(w => w.WorkflowId)), "then the canonical chain's workflows");
        });

        await using var resumed = await indexer.OpenAsync(lastEventId: orphanedId);
        var reset = await resumed.NextAsync();
        Assert.That((reset.Event, reset.Data), Is.EqualTo(("reset", """{"reason":"reorged"}""")), reset.ToString());
    }

    private static bool IsStatusReaching(ServerSentEvent e, long block) => e.Is("status") && e.Json["lastIndexedBlock"]?.GetValue<long>() >= block;

    private static (string, long, int, int) Position(ServerSentEvent e) =>
        (e.WorkflowId, e.BlockNumber, e.Json["transactionIndex"]!.GetValue<int>(), e.Json["logIndex"]!.GetValue<int>());

    /// <summary>One event per workflow and block, at the workflow's last event in that block, in log order.</summary>
    private static List<(string, long, int, int)> ExpectedPositions(SimulationResult mined) => mined.Workflows
        .SelectMany(workflow => workflow.Events
            .GroupBy(e => e.BlockNumber)
            .Select(block => block.OrderBy(e => e.TransactionIndex).ThenBy(e => e.LogIndex).Last())
            .Select(e => (workflow.WorkflowId, e.BlockNumber, e.TransactionIndex, e.LogIndex)))
        .OrderBy(p => p.BlockNumber).ThenBy(p => p.TransactionIndex).ThenBy(p => p.LogIndex)
        .ToList();
}
