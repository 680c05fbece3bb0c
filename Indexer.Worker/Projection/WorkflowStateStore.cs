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

    // The staging table is LIKE workflow_state, so EXCLUDED.* has the table's columns in table order.
    private static readonly string UpsertFromStaging = $"""
        INSERT INTO workflow_state ({ProjectionTable.ColumnList})
        SELECT {ProjectionTable.ColumnList} FROM incoming_state
        ON CONFLICT (workflow_id) DO UPDATE SET ({ProjectionTable.ColumnList}) = ROW(EXCLUDED.*)
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

    /// <summary>Inserts or replaces the given states, in one COPY and one statement.</summary>
    public static async Task UpsertAsync(NpgsqlConnection connection, IEnumerable<WorkflowState> states, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(CreateStaging, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await ProjectionCopy.BeginAsync(connection, "incoming_state", cancellationToken))
        {
            foreach (var state in states)
            {
                await copy.WriteAsync(ProjectionRow.Of(state), cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var upsert = new NpgsqlCommand(UpsertFromStaging, connection);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }
}
