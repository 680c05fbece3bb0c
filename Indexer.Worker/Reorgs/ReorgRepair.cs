using Core.Domain.Projection;
using Core.Domain.Proofs;
using Dapper;
using Indexer.Worker.Chain;
using Indexer.Worker.EventLog;
using Indexer.Worker.Notifications;
using Indexer.Worker.Operations;
using Indexer.Worker.Projection;
using Microsoft.Extensions.Logging;
using Migrations.Notifications;
using Npgsql;

namespace Indexer.Worker.Reorgs;

/// <summary>
/// Repairs the event log after a reorg deeper than the confirmation window: finds the highest
/// ingested block the node still has (the common ancestor), and in ONE transaction moves every
/// event above it to orphaned_event, derives the affected workflows again from what remains, and
/// moves the checkpoint back to the ancestor, so the canonical blocks are ingested next; listeners are
/// notified of the repair when it commits.
/// </summary>
public sealed class ReorgRepair(IChainClient chain, ILogger<ReorgRepair> logger)
{
    private const int AncestorSearchPage = 64;

    private const string RecordReorg = """
        INSERT INTO reorg (last_block, old_block_hash, new_block_hash, common_ancestor, depth, orphaned_events)
        VALUES (@LastBlock, @OldHash, @NewHash, @Ancestor, @Depth, 0)
        RETURNING id
        """;

    private const string OrphanEventsAbove = """
        WITH moved AS (
            DELETE FROM chain_event WHERE block_number > @Ancestor RETURNING *
        )
        INSERT INTO orphaned_event
        SELECT moved.*, @ReorgId FROM moved
        RETURNING workflow_id
        """;

    private const string CountOrphaned = "UPDATE reorg SET orphaned_events = @Count WHERE id = @ReorgId";

    /// <param name="connection">The writer's connection, which holds the single-writer lock.</param>
    public async Task<ReorgRepaired> RepairAsync(
        NpgsqlConnection connection, Checkpoint checkpoint, ReorgDetectedException detected, CancellationToken cancellationToken)
    {
        using var span = IndexerTracing.Source.StartActivity("reorg repair");
        span?.SetTag("x402.block.checkpoint", checkpoint.LastBlock);
        var (ancestor, ancestorHash) = await FindCommonAncestorAsync(connection, checkpoint, cancellationToken);
        var depth = (int)(checkpoint.LastBlock - ancestor);
        span?.SetTag("x402.reorg.ancestor", ancestor);
        span?.SetTag("x402.reorg.depth", depth);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var reorgId = await connection.ExecuteScalarAsync<long>(RecordReorg, new
        {
            checkpoint.LastBlock,
            OldHash = detected.IngestedHash,
            NewHash = detected.CanonicalHash,
            Ancestor = ancestor,
            Depth = depth,
        });
        var affected = (await connection.QueryAsync<string>(OrphanEventsAbove, new { Ancestor = ancestor, ReorgId = reorgId })).AsList();
        await connection.ExecuteAsync(CountOrphaned, new { affected.Count, ReorgId = reorgId });
        await IngestedBlockStore.DeleteAboveAsync(connection, ancestor);

        var workflowIds = affected.Distinct(StringComparer.Ordinal).ToList();
        if (workflowIds.Count > 0)
        {
            var remaining = await LogStream.OfWorkflowsAsync(connection, workflowIds, cancellationToken);
            var rederived = ProjectionFold.Fold(remaining).Values.Select(ProjectionRow.Of);
            await WorkflowStateStore.SaveAsync(connection, rederived, replacing: workflowIds, cancellationToken);
        }

        await CheckpointStore.RewindAsync(connection, checkpoint.LastBlock, ancestor, ancestorHash, affected.Count);
        await ChangeNotifier.NotifyAsync(connection, ChangeNotice.Reorg(reorgId, ancestor, depth), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogWarning(
            "Reorg of depth {Depth} at block {Block}: {Orphaned} events of {Workflows} workflows moved to orphaned_event; re-ingesting from block {Next}",
            depth, checkpoint.LastBlock, affected.Count, workflowIds.Count, ancestor + 1);
        span?.SetTag("x402.events.orphaned", affected.Count);
        IndexerMetrics.Reorg(depth);
        return new ReorgRepaired(ancestor, depth, affected.Count);
    }

    /// <returns>The highest ingested block whose hash the node still has, or the block before the start when none.</returns>
    private async Task<(long Block, string? Hash)> FindCommonAncestorAsync(
        NpgsqlConnection connection, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var below = checkpoint.LastBlock;
        while (true)
        {
            var ingested = await IngestedBlockStore.AtOrBelowAsync(connection, below, AncestorSearchPage);
            if (ingested.Count == 0)
            {
                return (checkpoint.StartBlock - 1, null);
            }

            var canonical = await chain.GetBlockDetailsAsync(ingested.Select(block => block.Number).ToList(), [], [], cancellationToken);
            foreach (var block in ingested)
            {
                if (canonical.Blocks.TryGetValue(block.Number, out var onChain) && onChain.Hash == block.Hash)
                {
                    return (block.Number, block.Hash);
                }
            }

            below = ingested[^1].Number - 1;
        }
    }
}

public sealed record ReorgRepaired(long CommonAncestor, int Depth, int OrphanedEvents);
