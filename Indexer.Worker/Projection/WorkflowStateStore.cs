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
    private static readonly string SelectByIds = $"""
        SELECT {ProjectionTable.ColumnList}
        FROM workflow_state
        WHERE workflow_id = ANY(@Ids)
        """;

    private const string DeleteByIds = "DELETE FROM workflow_state WHERE workflow_id = ANY(@Ids)";

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
    /// Stores <paramref name="rows"/> by COPY, after deleting through the primary key the stored rows they
    /// replace, in the caller's transaction: readers see the old rows until it commits. A replaced row costs
    /// what an UPDATE would, as its indexed columns change and every index gets a new entry either way; an
    /// UPDATE from a staging table also cost a COPY into that table, and its join was planned by a guess
    /// (at 31,650 workflows, a hash of the whole table: 54 ms for 1,500 rows, where this delete takes 7 ms).
    /// </summary>
    /// <param name="rows">
    /// Made as the COPY takes them (a row's JSON columns cost the worker about what inserting it costs the database),
    /// so the database inserts one chunk of rows while the next is made.
    /// </param>
    /// <param name="replacing">The workflows whose stored rows go: those of <paramref name="rows"/> that have one, and any left without events.</param>
    public static async Task SaveAsync(
        NpgsqlConnection connection, IEnumerable<ProjectionRow> rows, IReadOnlyCollection<string> replacing, CancellationToken cancellationToken)
    {
        if (replacing.Count > 0)
        {
            await using var delete = new NpgsqlCommand(DeleteByIds, connection) { Parameters = { new("Ids", replacing.ToArray()) } };
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        using var next = rows.GetEnumerator();
        if (!next.MoveNext())
        {
            return;
        }

        await using var copy = await ProjectionCopy.BeginAsync(connection, "workflow_state", cancellationToken);
        do
        {
            await copy.WriteAsync(next.Current, cancellationToken);
        }
        while (next.MoveNext());

        await copy.CompleteAsync(cancellationToken);
    }
}
