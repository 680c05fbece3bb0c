using Core.Domain.Events;
using Dapper;
using Npgsql;

namespace Indexer.Worker.EventLog;

/// <summary>Reads events back from the log, for the workflows a repair has to derive again.</summary>
public static class StoredEvents
{
    private const string SelectForWorkflows = """
        SELECT workflow_id AS WorkflowId, event_type AS EventType, payload::text AS Payload,
               block_number AS BlockNumber, transaction_index AS TransactionIndex, log_index AS LogIndex,
               block_timestamp AS BlockTimestamp
        FROM chain_event
        WHERE workflow_id = ANY(@Ids)
        ORDER BY workflow_id, block_number, transaction_index, log_index
        """;

    /// <returns>The workflows' events, grouped by workflow and in canonical order within each.</returns>
    public static async Task<IReadOnlyList<WorkflowEvent>> ForWorkflowsAsync(NpgsqlConnection connection, IReadOnlyCollection<string> workflowIds) =>
        (await connection.QueryAsync<StoredEvent>(SelectForWorkflows, new { Ids = workflowIds.ToArray() }))
            .Select(stored => stored.ToEvent())
            .ToList();

    private sealed record StoredEvent(
        string WorkflowId, string EventType, string Payload, long BlockNumber, int TransactionIndex, int LogIndex, long BlockTimestamp)
    {
        public WorkflowEvent ToEvent()
        {
            var position = new EventPosition(BlockNumber, TransactionIndex, LogIndex);
            return EventTypeNames.TryParse(EventType, out var type)
                ? EventPayload.Read(type, WorkflowId, position, BlockTimestamp, Payload)
                : throw new InvalidDataException($"The event log holds an unknown event type '{EventType}' at {position}.");
        }
    }
}
