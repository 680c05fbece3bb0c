using System.Numerics;
using Core.Domain.Events;
using Core.Domain.Proofs;
using Npgsql;

namespace Migrations.Projection;

/// <summary>
/// How a <see cref="ProjectionRow"/> is stored in workflow_state (created by 0002_workflow_state.sql):
/// its column list and the one way a row is read back; <see cref="ProjectionCopy"/> is the one way
/// rows are written. The worker's writers, readers, verifier and proofs all go through these, and so
/// can the API; a new column is one change to <see cref="ProjectionRow"/>, here and in
/// <see cref="ProjectionCopy"/>, and a migration, checked together by the tests.
/// </summary>
public static class ProjectionTable
{
    public const string Name = "workflow_state";

    /// <summary>Every column, in table order, as a SQL list; <see cref="Read"/> reads a SELECT of exactly these.</summary>
    public static readonly string ColumnList = string.Join(", ", ProjectionRow.Columns.Select(column => column.Name));

    /// <param name="table">workflow_state or a table made LIKE it; a name of the caller's own, never input.</param>
    internal static string CopyInto(string table) => $"COPY {table} ({ColumnList}) FROM STDIN (FORMAT BINARY)";

    /// <summary>Reads the current row of a SELECT of <see cref="ColumnList"/>, the JSON columns in jsonb's text form.</summary>
    /// <exception cref="InvalidDataException">The query selected other columns.</exception>
    public static ProjectionRow Read(NpgsqlDataReader reader)
    {
        if (reader.FieldCount != ProjectionRow.Columns.Count)
        {
            throw new InvalidDataException($"A projection row has {ProjectionRow.Columns.Count} columns; the query selected {reader.FieldCount}.");
        }

        return new ProjectionRow(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetInt64(4),
            reader.IsDBNull(5) ? null : reader.GetInt64(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            new EventPosition(reader.GetInt64(7), reader.GetInt32(8), reader.GetInt32(9)),
            new EventPosition(reader.GetInt64(10), reader.GetInt32(11), reader.GetInt32(12)),
            reader.GetInt32(13),
            reader.GetFieldValue<BigInteger>(14),
            reader.GetString(15),
            reader.GetString(16),
            reader.GetString(17));
    }
}
