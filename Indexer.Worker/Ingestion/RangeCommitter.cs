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
    /// <returns>How many events were stored.</returns>
    public static async Task<int> CommitAsync(
        NpgsqlConnection connection, IngestedRange range, long chainId, string contractAddress, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var appended = range.Events;
        await ChainEventStore.AppendAsync(connection, appended, chainId, contractAddress, cancellationToken);
        if (appended.Count > 0)
        {
            var workflowIds = appended.Select(ingested => ingested.Event.WorkflowId).Distinct(StringComparer.Ordinal).ToList();
            var stored = await WorkflowStateStore.LoadAsync(connection, workflowIds, cancellationToken);
            var folded = ProjectionFold.Fold(appended.Select(ingested => ingested.Event), stored);
            var added = folded.Values.Where(state => !stored.ContainsKey(state.WorkflowId)).ToList();
            var changed = folded.Values.Where(state => stored.ContainsKey(state.WorkflowId)).ToList();
            await WorkflowStateStore.SaveAsync(connection, added, changed, cancellationToken);
        }

        await IngestedBlockStore.AddAsync(connection, range.Blocks, cancellationToken);
        await CheckpointStore.AdvanceAsync(connection, range.FromBlock - 1, range.ToBlock, range.ToBlockHash, appended.Count);
        await transaction.CommitAsync(cancellationToken);
        return appended.Count;
    }
}

/// <param name="Events">In canonical order.</param>
/// <param name="Blocks">The blocks holding the events, and the range's last block.</param>
public sealed record IngestedRange(
    long FromBlock, long ToBlock, IReadOnlyList<IngestedEvent> Events, int SkippedLogs, IReadOnlyList<ChainBlock> Blocks)
{
    /// <summary>The hash of the range's last block, kept with the checkpoint to notice reorgs.</summary>
    public string ToBlockHash => Blocks.Single(block => block.Number == ToBlock).Hash;

    /// <summary>Consecutive ranges as one.</summary>
    public static IngestedRange Concat(IReadOnlyList<IngestedRange> ranges) => ranges.Count == 1
        ? ranges[0]
        : new IngestedRange(
            ranges[0].FromBlock,
            ranges[^1].ToBlock,
            ranges.SelectMany(range => range.Events).ToList(),
            ranges.Sum(range => range.SkippedLogs),
            ranges.SelectMany(range => range.Blocks).ToList());
}
