using Core.Domain.Projection;
using Core.Domain.Proofs;
using Core.Domain.Workflows;
using Indexer.Worker.Chain;
using Indexer.Worker.EventLog;
using Indexer.Worker.Notifications;
using Indexer.Worker.Projection;
using Migrations.Notifications;
using Npgsql;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Stores one ingested block range in ONE transaction: the new events, the blocks they stand on,
/// the projection rows they change, and the checkpoint. Either all of it is visible afterwards or none of it,
/// and listeners are notified of it when it commits.
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
        if (appended.Count > 0)
        {
            var workflowIds = appended.Select(ingested => ingested.Event.WorkflowId).Distinct(StringComparer.Ordinal).ToList();
            var stored = await WorkflowStateStore.LoadAsync(connection, workflowIds, cancellationToken);

            // The fold needs nothing more from the database: it runs on another core while the events stream in.
            var folding = Task.Run(() => FoldOnto(stored, appended), cancellationToken);
            var rows = range.EncodedEvents ?? [ChainEventStore.Encode(appended, chainId, contractAddress)];
            await ChainEventStore.AppendAsync(connection, rows, cancellationToken);
            var (added, changed) = await folding;
            await WorkflowStateStore.SaveAsync(connection, added, changed, cancellationToken);
        }

        await IngestedBlockStore.AddAsync(connection, range.Blocks, cancellationToken);
        await CheckpointStore.AdvanceAsync(connection, range.FromBlock - 1, range.ToBlock, range.ToBlockHash, appended.Count);
        await ChangeNotifier.NotifyAsync(connection, ChangeNotice.Range(range.FromBlock, range.ToBlock), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return appended.Count;
    }

    /// <returns>The rows of workflows seen for the first time, and of those whose stored row changes.</returns>
    private static (List<ProjectionRow> Added, List<ProjectionRow> Changed) FoldOnto(
        IReadOnlyDictionary<string, WorkflowState> stored, IReadOnlyList<IngestedEvent> events)
    {
        var folded = ProjectionFold.Fold(events.Select(ingested => ingested.Event), stored);
        var added = new List<ProjectionRow>();
        var changed = new List<ProjectionRow>();
        foreach (var state in folded.Values)
        {
            (stored.ContainsKey(state.WorkflowId) ? changed : added).Add(ProjectionRow.Of(state));
        }

        return (added, changed);
    }
}

/// <param name="Events">In canonical order.</param>
/// <param name="Blocks">The blocks holding the events, and the range's last block.</param>
public sealed record IngestedRange(
    long FromBlock, long ToBlock, IReadOnlyList<IngestedEvent> Events, int SkippedLogs, IReadOnlyList<ChainBlock> Blocks)
{
    /// <summary>The events already encoded for the event log, when the fetch did it ahead of the commit.</summary>
    public IReadOnlyList<EventRows>? EncodedEvents { get; init; }

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
            ranges.SelectMany(range => range.Blocks).ToList())
        {
            EncodedEvents = ranges.All(range => range.EncodedEvents is not null)
                ? ranges.SelectMany(range => range.EncodedEvents!).ToList()
                : null,
        };
}
