using System.Text.Json;
using Dapper;
using Npgsql;

namespace Query.Api.Workflows;

/// <summary>The SQL behind /workflows. Each query is served by an index of migration 0001 or 0002.</summary>
public sealed class WorkflowQueries(NpgsqlDataSource database)
{
    // Newest first by the position of each workflow's first event: a total, stable order.
    private const string ListNewestFirst = """
        SELECT workflow_id AS WorkflowId, status AS Status, initiator AS Initiator,
               started_at AS StartedAt, completed_at AS CompletedAt
        FROM workflow_state
        ORDER BY first_event_block DESC, first_event_transaction_index DESC, first_event_log_index DESC
        LIMIT @Limit OFFSET @Offset
        """;

    private const string SelectOne = """
        SELECT workflow_id AS WorkflowId, status AS Status, phase AS Phase, initiator AS Initiator,
               started_at AS StartedAt, completed_at AS CompletedAt, failure_reason AS FailureReason,
               settled_total::text AS SettledTotal, decisions::text AS Decisions,
               settlements::text AS Settlements, anomalies::text AS Anomalies
        FROM workflow_state
        WHERE workflow_id = @Id
        """;

    private const string SelectTimeline = """
        SELECT event_type AS EventType, block_number AS BlockNumber, transaction_index AS TransactionIndex,
               log_index AS LogIndex, tx_hash AS TxHash, tx_sender AS TxSender, block_hash AS BlockHash,
               block_timestamp AS BlockTimestamp, payload::text AS Payload
        FROM chain_event
        WHERE workflow_id = @Id
        ORDER BY block_number, transaction_index, log_index
        """;

    private static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<WorkflowSummary>> ListAsync(int limit, long offset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<WorkflowSummary>(
            new CommandDefinition(ListNewestFirst, new { Limit = limit, Offset = offset }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<WorkflowDetail?> FindAsync(string workflowId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredWorkflow>(
            new CommandDefinition(SelectOne, new { Id = workflowId }, snapshot, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var timeline = await connection.QueryAsync<StoredEvent>(
            new CommandDefinition(SelectTimeline, new { Id = workflowId }, snapshot, cancellationToken: cancellationToken));
        return new WorkflowDetail(
            new WorkflowView(row.WorkflowId, row.Status, row.Phase, row.Initiator, row.StartedAt, row.CompletedAt, row.FailureReason, row.SettledTotal),
            Parse<DecisionView>(row.Decisions),
            Parse<SettlementView>(row.Settlements),
            timeline.Select(stored => stored.ToTimelineEvent()).ToList(),
            Parse<JsonElement>(row.Anomalies));
    }

    private static List<T> Parse<T>(string json) => JsonSerializer.Deserialize<List<T>>(json, StoredJson) ?? [];

    private sealed record StoredWorkflow(
        string WorkflowId,
        string Status,
        string Phase,
        string? Initiator,
        long? StartedAt,
        long? CompletedAt,
        string? FailureReason,
        string SettledTotal,
        string Decisions,
        string Settlements,
        string Anomalies);

    private sealed record StoredEvent(
        string EventType,
        long BlockNumber,
        int TransactionIndex,
        int LogIndex,
        string TxHash,
        string? TxSender,
        string BlockHash,
        long BlockTimestamp,
        string Payload)
    {
        public TimelineEvent ToTimelineEvent() => new(
            EventType, BlockNumber, TransactionIndex, LogIndex, TxHash, TxSender, BlockHash, BlockTimestamp,
            JsonSerializer.Deserialize<JsonElement>(Payload));
    }
}
