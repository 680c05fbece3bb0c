using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Query.Api.Caching;
using Query.Api.Database;

namespace Query.Api.Workflows;

/// <summary>
/// The SQL behind /workflows: one statement, one round trip per answer (per batch of answers, for
/// <see cref="WorkflowLookup"/>), read column by column (no mapping by reflection). Npgsql prepares them
/// on each connection after their second use.
/// </summary>
public sealed class WorkflowQueries(NpgsqlDataSource database, IOptions<JsonOptions> json)
{
    // Newest first by the position of each workflow's first event: a total, stable order. Without filters,
    // an index-only scan of workflow_state_newest_first (migration 0007), which carries the summary's
    // columns; the position is read too, as the next page's cursor. With filters, the WHERE clause of
    // WorkflowFilterSql ($1..$5) and the indexes of migration 0008.
    private const string SelectSummaries = """
        SELECT workflow_id, status, initiator, started_at, completed_at,
               first_event_block, first_event_transaction_index, first_event_log_index
        FROM workflow_state
        """;

    // A keyset page: only workflows after the cursor in the list's order (an index condition on the same index).
    private const string AfterCursor = "(first_event_block, first_event_transaction_index, first_event_log_index) < ($6, $7, $8)";

    // One row more than the page, to tell whether a next page exists.
    private const string NewestFirstPage = """
        ORDER BY first_event_block DESC, first_event_transaction_index DESC, first_event_log_index DESC
        LIMIT $9 OFFSET $10
        """;

    // For each workflow of the batch, its row, then each of its events in canonical order (the workflow's row
    // has no event columns: NULL block_number sorts it first). One statement for a batch of lookups, so every
    // row and its timeline come from one snapshot. Two index scans appended, not a join: a join repeats the
    // workflow's columns, JSON cast to text included, beside each event; with pgbench on the 1M-event
    // database (64 random ids a statement), the appended scans took about 30% less of PostgreSQL's time.
    private const string SelectWithTimelines = """
        SELECT workflow_id, status, phase, initiator, started_at, completed_at, failure_reason,
               settled_total::text, decisions::text, settlements::text, anomalies::text,
               NULL AS event_type, NULL::bigint AS block_number, NULL::integer AS transaction_index, NULL::integer AS log_index,
               NULL AS tx_hash, NULL AS tx_sender, NULL AS block_hash, NULL::bigint AS block_timestamp, NULL AS payload
        FROM workflow_state
        WHERE workflow_id = ANY($1)
        UNION ALL
        SELECT workflow_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               event_type, block_number, transaction_index, log_index, tx_hash, tx_sender, block_hash, block_timestamp, payload::text
        FROM chain_event
        WHERE workflow_id = ANY($1)
        ORDER BY workflow_id, block_number NULLS FIRST, transaction_index, log_index
        """;

    /// <summary>The statement of one page (plus one row) of <paramref name="request"/>.</summary>
    public static SqlStatement ListStatement(WorkflowPageRequest request)
    {
        var conditions = WorkflowFilterSql.Conditions(request.Filter);
        if (request.After is not null)
        {
            conditions.Add(AfterCursor);
        }

        var parameters = new List<NpgsqlParameter>();
        WorkflowFilterSql.AddParameters(parameters, request.Filter);
        parameters.Add(WorkflowFilterSql.Typed(NpgsqlDbType.Bigint, request.After?.BlockNumber));
        parameters.Add(WorkflowFilterSql.Typed(NpgsqlDbType.Integer, request.After?.TransactionIndex));
        parameters.Add(WorkflowFilterSql.Typed(NpgsqlDbType.Integer, request.After?.LogIndex));
        parameters.Add(WorkflowFilterSql.Typed(NpgsqlDbType.Integer, request.Limit + 1));
        parameters.Add(WorkflowFilterSql.Typed(NpgsqlDbType.Bigint, request.Offset));
        return new SqlStatement($"{SelectSummaries}\n{WorkflowFilterSql.Where(conditions)}\n{NewestFirstPage}", parameters);
    }

    public async Task<ListPage<WorkflowSummary>> ListAsync(WorkflowPageRequest request, CancellationToken cancellationToken)
    {
        await using var command = ListStatement(request).CreateCommand(database);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<WorkflowSummary>(Math.Min(request.Limit, 128));
        ListCursor last = default;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (page.Count == request.Limit)
            {
                return new ListPage<WorkflowSummary>(page, request.NextPage(last));
            }

            page.Add(new WorkflowSummary(
                reader.GetString(0), reader.GetString(1), NullableString(reader, 2), NullableInt64(reader, 3), NullableInt64(reader, 4)));
            last = new ListCursor(reader.GetInt64(5), reader.GetInt32(6), reader.GetInt32(7));
        }

        return new ListPage<WorkflowSummary>(page, null);
    }

    private JsonWriterOptions WriterOptions => new() { Encoder = json.Value.SerializerOptions.Encoder };

    /// <summary>The statement that reads the workflows <paramref name="workflowIds"/> with their timelines.</summary>
    public static SqlStatement DetailStatement(string[] workflowIds) =>
        new(SelectWithTimelines, [new NpgsqlParameter<string[]> { TypedValue = workflowIds }]);

    /// <param name="workflowIds">Normalized workflow ids, each once.</param>
    /// <returns>The answer of each observed workflow as JSON (<see cref="WorkflowDetailJson"/>), by id; ids never observed are absent.</returns>
    public async Task<Dictionary<string, byte[]>> FindAsync(string[] workflowIds, CancellationToken cancellationToken)
    {
        var answers = new Dictionary<string, byte[]>(workflowIds.Length);
        await using var command = DetailStatement(workflowIds).CreateCommand(database);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        using var writer = new WorkflowDetailJson(WriterOptions);
        var onRow = await reader.ReadAsync(cancellationToken);
        while (onRow)
        {
            // Events of a workflow without a row: its projection row was deleted (the projection is derived
            // state, rebuilt by replay); until then it was never observed, as far as answers go.
            if (WorkflowDetailJson.OnEventRow(reader))
            {
                onRow = await reader.ReadAsync(cancellationToken);
                continue;
            }

            var workflowId = reader.GetString(0);
            (answers[workflowId], onRow) = await writer.WriteAsync(reader, workflowId, cancellationToken);
        }

        return answers;
    }

    private static string? NullableString(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static long? NullableInt64(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
}
