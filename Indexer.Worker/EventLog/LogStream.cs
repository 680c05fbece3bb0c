using Core.Domain.Events;
using Npgsql;

namespace Indexer.Worker.EventLog;

/// <summary>
/// Reads chain_event back as the events the reducer saw: the one way a stored row becomes an event,
/// for replay, verify, the proofs and reorg repair alike. Rows stream as they arrive, so memory holds
/// one event at a time whatever the log's size.
/// </summary>
internal static class LogStream
{
    private const string Columns = "workflow_id, event_type, payload, block_number, transaction_index, log_index, block_timestamp";

    /// <summary>The whole log in canonical order, as the event-log hash defines it.</summary>
    public const string Canonical = $"""
        SELECT {Columns}
        FROM chain_event
        ORDER BY block_number, transaction_index, log_index
        """;

    /// <summary>Grouped by workflow (in the order the timeline index gives), each workflow's events in canonical order.</summary>
    public const string ByWorkflow = $"""
        SELECT {Columns}
        FROM chain_event
        ORDER BY workflow_id, block_number, transaction_index, log_index
        """;

    private const string WithoutSorting = "SET enable_sort = off";

    /// <summary>
    /// Grouped by workflow in byte (ordinal) order of the id whatever the database's collation, so that
    /// it merges with workflow_state read in the same order; each workflow's events in canonical order.
    /// </summary>
    public const string ByWorkflowOrdinal = $"""
        SELECT {Columns}
        FROM chain_event
        ORDER BY workflow_id COLLATE "C", block_number, transaction_index, log_index
        """;

    private const string OfWorkflows = $"""
        SELECT {Columns}
        FROM chain_event
        WHERE workflow_id = ANY(@Ids)
        ORDER BY workflow_id, block_number, transaction_index, log_index
        """;

    /// <summary>
    /// Makes <see cref="ByWorkflow"/> on <paramref name="connection"/>, one that reads nothing else (the pool resets it
    /// when it is given back), stream in the timeline index's order from its first row. Left to itself, the
    /// planner sorts the whole log before sending any: on the 31,899-event sparse benchmark log the first row came
    /// after 70 ms (the sort spilled to disk) instead of at once, and reading it all took 206 ms instead of 152
    /// (a binary COPY of the query); on the 1M-event log, 2.26 s instead of 2.03, with 100+ MB of the sort on disk.
    /// </summary>
    public static async Task ReadInIndexOrderAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(WithoutSorting, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Streams the events of <paramref name="query"/>, one of this class's queries.</summary>
    /// <exception cref="InvalidDataException">A row holds an event type the observer does not know.</exception>
    /// <exception cref="InvalidEventPayloadException">A row's payload lacks a field its type needs.</exception>
    public static IAsyncEnumerable<WorkflowEvent> ReadAsync(NpgsqlConnection connection, string query, CancellationToken cancellationToken) =>
        ReadAsync(new NpgsqlCommand(query, connection), cancellationToken);

    /// <returns>The workflows' events, grouped by workflow and in canonical order within each.</returns>
    public static async Task<IReadOnlyList<WorkflowEvent>> OfWorkflowsAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> workflowIds, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(OfWorkflows, connection) { Parameters = { new("Ids", workflowIds.ToArray()) } };
        var events = new List<WorkflowEvent>();
        await foreach (var @event in ReadAsync(command, cancellationToken))
        {
            events.Add(@event);
        }

        return events;
    }

    private static async IAsyncEnumerable<WorkflowEvent> ReadAsync(
        NpgsqlCommand command, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                yield return ToEvent(rows);
            }
        }
    }

    private static WorkflowEvent ToEvent(NpgsqlDataReader row)
    {
        var position = new EventPosition(row.GetInt64(3), row.GetInt32(4), row.GetInt32(5));
        var typeName = row.GetString(1);
        if (!EventTypeNames.TryParse(typeName, out var type))
        {
            throw new InvalidDataException($"The event log holds an unknown event type '{typeName}' at {position}.");
        }

        // jsonb as its UTF-8 text: the payload is parsed once, from bytes, without a string in between.
        return EventPayload.Read(type, row.GetString(0), position, row.GetInt64(6), row.GetFieldValue<byte[]>(2));
    }
}
