using Core.Domain.Workflows;
using Indexer.Worker.EventLog;
using Indexer.Worker.Projection;
using Npgsql;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Stores one ingested block range in ONE transaction: the new events, the projection rows they
/// change, and the checkpoint. Either all of it is visible afterwards or none of it.
/// </summary>
public sealed class RangeCommitter(NpgsqlDataSource database)
{
    /// <returns>How many of the events were new to the log.</returns>
    public async Task<int> CommitAsync(IngestedRange range, long chainId, string contractAddress, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var appended = await ChainEventStore.AppendAsync(connection, range.Events, chainId, contractAddress, cancellationToken);
        if (appended.Count > 0)
        {
            var workflowIds = appended.Select(ingested => ingested.Event.WorkflowId).Distinct(StringComparer.Ordinal).ToList();
            var states = await WorkflowStateStore.LoadAsync(connection, workflowIds);
            foreach (var ingested in appended)
            {
                states.TryGetValue(ingested.Event.WorkflowId, out var state);
                states[ingested.Event.WorkflowId] = WorkflowReducer.Apply(state, ingested.Event);
            }

            await WorkflowStateStore.UpsertAsync(connection, states.Values, cancellationToken);
        }

        await CheckpointStore.AdvanceAsync(connection, range.FromBlock - 1, range.ToBlock, range.ToBlockHash, appended.Count);
        await transaction.CommitAsync(cancellationToken);
        return appended.Count;
    }
}

/// <param name="ToBlockHash">The hash of the range's last block, kept with the checkpoint to notice reorgs.</param>
public sealed record IngestedRange(long FromBlock, long ToBlock, string ToBlockHash, IReadOnlyList<IngestedEvent> Events, int SkippedLogs);
