using Core.Domain.Events;
using Core.Domain.Workflows;
using Npgsql;
using NpgsqlTypes;

namespace Indexer.Worker.EventLog;

/// <summary>
/// Streams chain_event with binary COPY in the orders replay and the proofs need, and turns each row
/// back into the event the reducer saw.
/// </summary>
internal static class LogStream
{
    private const string Columns = "workflow_id, event_type, payload, block_number, transaction_index, log_index, block_timestamp";

    /// <summary>The whole log in canonical order, as the event-log hash defines it.</summary>
    public const string Canonical = $"""
        COPY (
            SELECT {Columns}
            FROM chain_event
            ORDER BY block_number, transaction_index, log_index
        ) TO STDOUT (FORMAT BINARY)
        """;

    /// <summary>Grouped by workflow (in the order the timeline index gives), each workflow's events in canonical order.</summary>
    public const string ByWorkflow = $"""
        COPY (
            SELECT {Columns}
            FROM chain_event
            ORDER BY workflow_id, block_number, transaction_index, log_index
        ) TO STDOUT (FORMAT BINARY)
        """;

    /// <summary>
    /// Grouped by workflow in byte (ordinal) order of the id whatever the database's collation, so that
    /// it merges with workflow_state read in the same order; each workflow's events in canonical order.
    /// </summary>
    public const string ByWorkflowOrdinal = $"""
        COPY (
            SELECT {Columns}
            FROM chain_event
            ORDER BY workflow_id COLLATE "C", block_number, transaction_index, log_index
        ) TO STDOUT (FORMAT BINARY)
        """;

    /// <summary>Reads the events of a COPY started with one of this class's queries.</summary>
    /// <exception cref="InvalidDataException">A row holds an event type the observer does not know.</exception>
    /// <exception cref="InvalidEventPayloadException">A row's payload lacks a field its type needs.</exception>
    public static async IAsyncEnumerable<WorkflowEvent> ReadAsync(
        NpgsqlBinaryExporter log, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await log.StartRowAsync(cancellationToken) != -1)
        {
            var workflowId = await log.ReadAsync<string>(NpgsqlDbType.Varchar, cancellationToken);
            var typeName = await log.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken);
            var payload = await log.ReadAsync<string>(NpgsqlDbType.Jsonb, cancellationToken);
            var position = new EventPosition(
                await log.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken),
                await log.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken),
                await log.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken));
            var timestamp = await log.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken);
            if (!EventTypeNames.TryParse(typeName, out var type))
            {
                throw new InvalidDataException($"The event log holds an unknown event type '{typeName}' at {position}.");
            }

            yield return EventPayload.Read(type, workflowId, position, timestamp, payload);
        }
    }

    /// <summary>Folds a log grouped by workflow into each workflow's final state, holding one workflow at a time.</summary>
    public static async IAsyncEnumerable<WorkflowState> FoldByWorkflowAsync(
        IAsyncEnumerable<WorkflowEvent> events, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        WorkflowState? current = null;
        await foreach (var @event in events.WithCancellation(cancellationToken))
        {
            if (current is not null && current.WorkflowId != @event.WorkflowId)
            {
                yield return current;
                current = null;
            }

            current = WorkflowReducer.Apply(current, @event);
        }

        if (current is not null)
        {
            yield return current;
        }
    }
}
