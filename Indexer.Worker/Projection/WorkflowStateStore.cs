using Core.Domain.Proofs;
using Core.Domain.Workflows;
using Migrations.Projection;
using Npgsql;

namespace Indexer.Worker.Projection;

/// <summary>
/// Reads and writes workflow_state rows, through the one row definition (<see cref="ProjectionTable"/>, <see cref="ProjectionCopy"/>).
/// Binary COPY is the one write path, for live batches and full rebuilds alike.
/// </summary>
public static class WorkflowStateStore
{
    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS incoming_state
            (LIKE workflow_state INCLUDING DEFAULTS) ON COMMIT DELETE ROWS
        """;

    private static readonly string SelectByIds = $"""
        SELECT {ProjectionTable.ColumnList}
        FROM workflow_state
        WHERE workflow_id = ANY(@Ids)
        """;

    // The staging table is LIKE workflow_state, so incoming.* has the table's columns in table order.
    private static readonly string UpdateFromStaging = $"""
        UPDATE workflow_state AS stored SET ({ProjectionTable.ColumnList}) = ROW(incoming.*)
        FROM incoming_state AS incoming
        WHERE stored.workflow_id = incoming.workflow_id
        """;

    /// <exception cref="FormatException">A row was not written by this worker's reducer.</exception>
    public static async Task<Dictionary<string, WorkflowState>> LoadAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> workflowIds, CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, WorkflowState>(workflowIds.Count, StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(SelectByIds, connection) { Parameters = { new("Ids", workflowIds.ToArray()) } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = ProjectionTable.Read(reader).ToState();
            states.Add(state.WorkflowId, state);
        }

        return states;
    }

    /// <summary>
    /// Stores new workflows by COPY straight into the table, and replaces stored ones through a staging
    /// COPY and one UPDATE: no row pays for a conflict check it cannot need.
    /// </summary>
    /// <param name="added">Workflows without a stored row.</param>
    /// <param name="changed">Workflows whose stored row is replaced.</param>
    public static async Task SaveAsync(
        NpgsqlConnection connection, IReadOnlyCollection<ProjectionRow> added, IReadOnlyCollection<ProjectionRow> changed, CancellationToken cancellationToken)
    {
        if (added.Count > 0)
        {
            await CopyAsync(connection, "workflow_state", added, cancellationToken);
        }

        if (changed.Count > 0)
        {
            await using (var create = new NpgsqlCommand(CreateStaging, connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await CopyAsync(connection, "incoming_state", changed, cancellationToken);
            await using var update = new NpgsqlCommand(UpdateFromStaging, connection);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <param name="table">One of this worker's own table names, never input.</param>
    private static async Task CopyAsync(NpgsqlConnection connection, string table, IEnumerable<ProjectionRow> rows, CancellationToken cancellationToken)
    {
        await using var copy = await ProjectionCopy.BeginAsync(connection, table, cancellationToken);
        foreach (var row in rows)
        {
            await copy.WriteAsync(row, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }
}
