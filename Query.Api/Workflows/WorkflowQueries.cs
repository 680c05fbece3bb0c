using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Query.Api.Workflows;

/// <summary>
/// The SQL behind /workflows: one statement, one round trip per answer, read column by column (no
/// mapping by reflection). Npgsql prepares them on each connection after their second use.
/// </summary>
public sealed class WorkflowQueries(NpgsqlDataSource database, IOptions<JsonOptions> json)
{
    // Newest first by the position of each workflow's first event: a total, stable order. An index-only
    // scan of workflow_state_newest_first (migration 0007), which carries the summary's columns.
    private const string ListNewestFirst = """
        SELECT workflow_id, status, initiator, started_at, completed_at
        FROM workflow_state
        ORDER BY first_event_block DESC, first_event_transaction_index DESC, first_event_log_index DESC
        LIMIT $1 OFFSET $2
        """;

    // The workflow's row, repeated beside each of its events in canonical order (one row with null event
    // columns when it has none): one statement, so row and timeline come from one snapshot.
    private const string SelectOneWithTimeline = """
        SELECT w.workflow_id, w.status, w.phase, w.initiator, w.started_at, w.completed_at, w.failure_reason,
               w.settled_total::text, w.decisions::text, w.settlements::text, w.anomalies::text,
               e.event_type, e.block_number, e.transaction_index, e.log_index, e.tx_hash, e.tx_sender,
               e.block_hash, e.block_timestamp, e.payload::text
        FROM workflow_state w
        LEFT JOIN chain_event e ON e.workflow_id = w.workflow_id
        WHERE w.workflow_id = $1
        ORDER BY e.block_number, e.transaction_index, e.log_index
        """;

    public async Task<IReadOnlyList<WorkflowSummary>> ListAsync(int limit, long offset, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(ListNewestFirst);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<WorkflowSummary>(limit);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new WorkflowSummary(
                reader.GetString(0), reader.GetString(1), NullableString(reader, 2), NullableInt64(reader, 3), NullableInt64(reader, 4)));
        }

        return page;
    }

    private JsonWriterOptions WriterOptions => new() { Encoder = json.Value.SerializerOptions.Encoder };

    /// <returns>The workflow's answer as JSON (<see cref="WorkflowDetailJson"/>), or null when no such workflow was observed.</returns>
    public async Task<byte[]?> FindAsync(string workflowId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(SelectOneWithTimeline);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workflowId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? await WorkflowDetailJson.WriteAsync(reader, WriterOptions, cancellationToken) : null;
    }

    private static string? NullableString(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static long? NullableInt64(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
}
