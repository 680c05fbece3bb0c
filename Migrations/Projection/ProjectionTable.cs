using System.Numerics;
using Core.Domain.Events;
using Core.Domain.Proofs;
using Npgsql;
using NpgsqlTypes;

namespace Migrations.Projection;

/// <summary>
/// How a <see cref="ProjectionRow"/> is stored in workflow_state (created by 0002_workflow_state.sql):
/// its column list, and the one way a row is written (binary COPY) and read back. The worker's writers,
/// readers, verifier and proofs all go through here, and so can the API; a new column is one change
/// to <see cref="ProjectionRow"/>, here, and a migration, checked together by the tests.
/// </summary>
public static class ProjectionTable
{
    public const string Name = "workflow_state";

    /// <summary>Every column, in table order, as a SQL list; <see cref="Read"/> reads a SELECT of exactly these.</summary>
    public static readonly string ColumnList = string.Join(", ", ProjectionRow.Columns.Select(column => column.Name));

    /// <param name="table">workflow_state or a table made LIKE it; a name of the caller's own, never input.</param>
    public static string CopyInto(string table) => $"COPY {table} ({ColumnList}) FROM STDIN (FORMAT BINARY)";

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

    /// <summary>Writes one row into a COPY started with <see cref="CopyInto"/>.</summary>
    public static async Task WriteAsync(NpgsqlBinaryImporter copy, ProjectionRow row, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(row.WorkflowId, NpgsqlDbType.Varchar, cancellationToken);
        await copy.WriteAsync(row.Status, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(row.Phase, NpgsqlDbType.Text, cancellationToken);
        await WriteNullableAsync(copy, row.Initiator, NpgsqlDbType.Varchar, cancellationToken);
        await WriteNullableAsync(copy, row.StartedAt, NpgsqlDbType.Bigint, cancellationToken);
        await WriteNullableAsync(copy, row.CompletedAt, NpgsqlDbType.Bigint, cancellationToken);
        await WriteNullableAsync(copy, row.FailureReason, NpgsqlDbType.Text, cancellationToken);
        await WritePositionAsync(copy, row.FirstEvent, cancellationToken);
        await WritePositionAsync(copy, row.LastEvent, cancellationToken);
        await copy.WriteAsync(row.EventCount, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(row.SettledTotal, NpgsqlDbType.Numeric, cancellationToken);
        await copy.WriteAsync(row.Decisions, NpgsqlDbType.Jsonb, cancellationToken);
        await copy.WriteAsync(row.Settlements, NpgsqlDbType.Jsonb, cancellationToken);
        await copy.WriteAsync(row.Anomalies, NpgsqlDbType.Jsonb, cancellationToken);
    }

    private static async Task WritePositionAsync(NpgsqlBinaryImporter copy, EventPosition position, CancellationToken cancellationToken)
    {
        await copy.WriteAsync(position.BlockNumber, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(position.TransactionIndex, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(position.LogIndex, NpgsqlDbType.Integer, cancellationToken);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
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
