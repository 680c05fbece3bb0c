using Core.Domain.Events;
using Core.Domain.Workflows;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Indexer.Worker.Projection;

/// <summary>Reads and writes workflow_state rows. Binary COPY is the one write path, for live batches and full rebuilds alike.</summary>
public static class WorkflowStateStore
{
    public const string Table = "workflow_state";

    private const string Columns = """
        workflow_id, status, phase, initiator, started_at, completed_at, failure_reason,
        first_event_block, first_event_transaction_index, first_event_log_index,
        last_event_block, last_event_transaction_index, last_event_log_index,
        event_count, settled_total, decisions, settlements, anomalies
        """;

    private const string SelectByIds = """
        SELECT workflow_id AS WorkflowId, phase AS Phase, initiator AS Initiator, started_at AS StartedAt,
               completed_at AS CompletedAt, failure_reason AS FailureReason,
               first_event_block AS FirstEventBlock, first_event_transaction_index AS FirstEventTransactionIndex,
               first_event_log_index AS FirstEventLogIndex, last_event_block AS LastEventBlock,
               last_event_transaction_index AS LastEventTransactionIndex, last_event_log_index AS LastEventLogIndex,
               event_count AS EventCount, decisions::text AS Decisions, settlements::text AS Settlements,
               anomalies::text AS Anomalies
        FROM workflow_state
        WHERE workflow_id = ANY(@Ids)
        """;

    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS incoming_state
            (LIKE workflow_state INCLUDING DEFAULTS) ON COMMIT DELETE ROWS
        """;

    private const string UpdateFromStaging = """
        UPDATE workflow_state AS stored SET
            status = incoming.status, phase = incoming.phase, initiator = incoming.initiator,
            started_at = incoming.started_at, completed_at = incoming.completed_at,
            failure_reason = incoming.failure_reason,
            first_event_block = incoming.first_event_block,
            first_event_transaction_index = incoming.first_event_transaction_index,
            first_event_log_index = incoming.first_event_log_index,
            last_event_block = incoming.last_event_block,
            last_event_transaction_index = incoming.last_event_transaction_index,
            last_event_log_index = incoming.last_event_log_index,
            event_count = incoming.event_count, settled_total = incoming.settled_total,
            decisions = incoming.decisions, settlements = incoming.settlements, anomalies = incoming.anomalies
        FROM incoming_state AS incoming
        WHERE stored.workflow_id = incoming.workflow_id
        """;

    public static async Task<Dictionary<string, WorkflowState>> LoadAsync(NpgsqlConnection connection, IReadOnlyCollection<string> workflowIds)
    {
        var rows = await connection.QueryAsync<StoredWorkflowState>(SelectByIds, new { Ids = workflowIds.ToArray() });
        return rows.Select(row => row.ToState()).ToDictionary(state => state.WorkflowId, StringComparer.Ordinal);
    }

    /// <summary>
    /// Stores new workflows by COPY straight into the table, and replaces stored ones through a staging
    /// COPY and one UPDATE: no row pays for a conflict check it cannot need.
    /// </summary>
    /// <param name="added">Workflows without a stored row.</param>
    /// <param name="changed">Workflows whose stored row is replaced.</param>
    public static async Task SaveAsync(
        NpgsqlConnection connection, IReadOnlyCollection<WorkflowState> added, IReadOnlyCollection<WorkflowState> changed, CancellationToken cancellationToken)
    {
        if (added.Count > 0)
        {
            await CopyAsync(connection, Table, added.ToAsyncEnumerable(), cancellationToken);
        }

        if (changed.Count > 0)
        {
            await using (var create = new NpgsqlCommand(CreateStaging, connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await CopyAsync(connection, "incoming_state", changed.ToAsyncEnumerable(), cancellationToken);
            await using var update = new NpgsqlCommand(UpdateFromStaging, connection);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <param name="table">One of this worker's own table names, never input.</param>
    /// <returns>How many rows were written.</returns>
    public static async Task<long> CopyAsync(
        NpgsqlConnection connection, string table, IAsyncEnumerable<WorkflowState> states, CancellationToken cancellationToken)
    {
        long rows = 0;
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await foreach (var state in states.WithCancellation(cancellationToken))
        {
            rows++;
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(state.WorkflowId, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(state.Status.ToName(), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(state.Phase.ToName(), NpgsqlDbType.Text, cancellationToken);
            await WriteNullable(copy, state.Initiator, NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullable(copy, state.StartedAt, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullable(copy, state.CompletedAt, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullable(copy, state.FailureReason, NpgsqlDbType.Text, cancellationToken);
            await WritePosition(copy, state.FirstEvent, cancellationToken);
            await WritePosition(copy, state.LastEvent, cancellationToken);
            await copy.WriteAsync(state.EventCount, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(state.SettledTotal, NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync(WorkflowJson.WriteDecisions(state.Decisions), NpgsqlDbType.Jsonb, cancellationToken);
            await copy.WriteAsync(WorkflowJson.WriteSettlements(state.Settlements), NpgsqlDbType.Jsonb, cancellationToken);
            await copy.WriteAsync(WorkflowJson.WriteAnomalies(state.Anomalies), NpgsqlDbType.Jsonb, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
        return rows;
    }

    private static async Task WritePosition(NpgsqlBinaryImporter copy, EventPosition position, CancellationToken cancellationToken)
    {
        await copy.WriteAsync(position.BlockNumber, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(position.TransactionIndex, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(position.LogIndex, NpgsqlDbType.Integer, cancellationToken);
    }

    private static async Task WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, type, cancellationToken);
        }
    }
}
