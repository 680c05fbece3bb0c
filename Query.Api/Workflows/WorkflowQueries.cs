using System.Text.Json;
using Npgsql;

namespace Query.Api.Workflows;

/// <summary>
/// The SQL behind /workflows: one statement, one round trip per answer, read column by column (no
/// mapping by reflection). Npgsql prepares them on each connection after their second use.
/// </summary>
public sealed class WorkflowQueries(NpgsqlDataSource database)
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

    private const int FirstEventColumn = 11;

    private static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web);

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

    public async Task<WorkflowDetail?> FindAsync(string workflowId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(SelectOneWithTimeline);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workflowId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var workflow = new WorkflowView(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), NullableString(reader, 3), NullableInt64(reader, 4),
            NullableInt64(reader, 5), NullableString(reader, 6), reader.GetString(7));
        var decisions = Parse<DecisionView>(reader.GetString(8));
        var settlements = Parse<SettlementView>(reader.GetString(9));
        var anomalies = Parse<JsonElement>(reader.GetString(10));
        var timeline = new List<TimelineEvent>();
        if (!reader.IsDBNull(FirstEventColumn))
        {
            do
            {
                timeline.Add(new TimelineEvent(
                    reader.GetString(11), reader.GetInt64(12), reader.GetInt32(13), reader.GetInt32(14), reader.GetString(15),
                    NullableString(reader, 16), reader.GetString(17), reader.GetInt64(18),
                    JsonSerializer.Deserialize<JsonElement>(reader.GetString(19))));
            }
            while (await reader.ReadAsync(cancellationToken));
        }

        return new WorkflowDetail(workflow, decisions, settlements, timeline, anomalies);
    }

    private static string? NullableString(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static long? NullableInt64(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    private static List<T> Parse<T>(string json) => JsonSerializer.Deserialize<List<T>>(json, StoredJson) ?? [];
}
