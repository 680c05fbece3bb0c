using System.Text;
using Core.Domain.Events;
using Core.Domain.Projection;
using Core.Domain.Proofs;

namespace Indexer.Worker.Tests.Proofs;

/// <summary>
/// Both hashes computed here, from a database's event log alone, with the domain's own fold: the
/// value a worker's stored proof must equal.
/// </summary>
internal static class InProcessProof
{
    private const string LogInCanonicalOrder = """
        SELECT workflow_id AS WorkflowId, event_type AS EventType, payload::text AS Payload, block_number AS BlockNumber,
               transaction_index AS TransactionIndex, log_index AS LogIndex, block_timestamp AS BlockTimestamp
        FROM chain_event
        ORDER BY block_number, transaction_index, log_index
        """;

    public static async Task<(string EventLogHash, string ProjectionHash)> ComputeAsync(ObservedDatabase database)
    {
        var events = (await database.QueryAsync<LogRow>(LogInCanonicalOrder)).Select(ToEvent).ToList();

        using var eventLog = new EventLogHash();
        foreach (var @event in events)
        {
            eventLog.Append(@event);
        }

        using var projection = new ProjectionHash();
        foreach (var state in ProjectionFold.Fold(events).Values)
        {
            projection.Append(ProjectionRow.Of(state));
        }

        return (eventLog.Hex, projection.Hex);
    }

    private static WorkflowEvent ToEvent(LogRow row) => EventPayload.Read(
        EventTypeNames.TryParse(row.EventType, out var type) ? type : throw new FormatException($"Unknown event type {row.EventType}."),
        row.WorkflowId,
        new EventPosition(row.BlockNumber, row.TransactionIndex, row.LogIndex),
        row.BlockTimestamp,
        Encoding.UTF8.GetBytes(row.Payload));

    private sealed record LogRow(
        string WorkflowId, string EventType, string Payload, long BlockNumber, int TransactionIndex, int LogIndex, long BlockTimestamp);
}
