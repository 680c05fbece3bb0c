using Core.Domain.Proofs;
using Migrations.Projection;
using Npgsql;

namespace Indexer.Worker.Projection;

/// <summary>
/// Streams workflow_state as stored, column by column, in ordinal workflow-id order: what the
/// projection hash covers and what verify compares. The status and settled_total columns stay as
/// they are instead of being derived from the other columns.
/// </summary>
internal static class ProjectionRowReader
{
    private static readonly string SelectInOrdinalOrder = $"""
        SELECT {ProjectionTable.ColumnList}
        FROM workflow_state
        ORDER BY workflow_id COLLATE "C"
        """;

    public static async IAsyncEnumerable<ProjectionRow> ReadAsync(
        NpgsqlConnection connection, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SelectInOrdinalOrder, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ProjectionTable.Read(reader).WithCanonicalJson();
        }
    }
}
