using Core.Domain.Projection;
using Indexer.Worker.Chain;
using Indexer.Worker.EventLog;
using Indexer.Worker.Projection;
using Npgsql;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Stores one ingested block range in ONE transaction: the new events, the blocks they stand on,
/// the projection rows they change, and the checkpoint. Either all of it is visible afterwards or none of it.
/// </summary>
public static class RangeCommitter
{
    /// <param name="connection">The writer's connection, which holds the single-writer lock.</param>
    /// <returns>How many of the events were new to the log.</returns>
    public static async Task<int> CommitAsync(
        NpgsqlConnection connection, IngestedRange range, long chainId, string contractAddress, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var appended = await ChainEventStore.AppendAsync(connection, range.Events, chainId, contractAddress, cancellationToken);
        if (appended.Count > 0)
        {
            var workflowIds = appended.Select(ingested => ingested.Event.WorkflowId).Distinct(StringComparer.Ordinal).ToList();
            var stored = await WorkflowStateStore.LoadAsync(connection, workflowIds, cancellationToken);
            var states = ProjectionFold.Fold(appended.Select(ingested => ingested.Event), stored);
            await WorkflowStateStore.UpsertAsync(connection, states.Values, cancellationToken);
        }

        await IngestedBlockStore.AddAsync(connection, range.Blocks, cancellationToken);
        await CheckpointStore.AdvanceAsync(connection, range.FromBlock - 1, range.ToBlock, range.ToBlockHash, appended.Count);
        await transaction.CommitAsync(cancellationToken);
        return appended.Count;
    }
}

/// <param name="Blocks">The blocks holding the events, and the range's last block.</param>
public sealed record IngestedRange(
    long FromBlock, long ToBlock, IReadOnlyList<IngestedEvent> Events, int SkippedLogs, IReadOnlyList<ChainBlock> Blocks)
{
    /// <summary>The hash of the range's last block, kept with the checkpoint to notice reorgs.</summary>
    public string ToBlockHash => Blocks.Single(block => block.Number == ToBlock).Hash;
}
