using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Core.Domain.Proofs;
using Npgsql;

namespace Migrations.Projection;

/// <summary>
/// The one way projection rows are written: a binary COPY into workflow_state (or a table LIKE it),
/// encoded here in PostgreSQL's binary COPY format and sent in large chunks. Encoding a row costs a
/// few copies of its bytes; going through the driver's per-value parameter binding cost several
/// times more than the fold itself on a rebuild.
/// </summary>
/// <remarks>
/// The format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4): a header,
/// then per row an int16 field count and per field an int32 byte length (−1 for null) and the value
/// in the type's binary form; an int16 −1 ends the data. All integers are big-endian.
/// </remarks>
public sealed class ProjectionCopy : IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;

    // numeric's sign word for a negative value; positive is 0.
    private const short NumericNegative = 0x4000;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly NpgsqlRawCopyStream stream;
    private readonly ArrayBufferWriter<byte> buffer = new(2 * FlushThreshold);
    private bool completed;

    private ProjectionCopy(NpgsqlRawCopyStream stream) => this.stream = stream;

    /// <summary>"PGCOPY\n\377\r\n\0", no flags, no header extension.</summary>
    private static ReadOnlySpan<byte> Header => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <param name="table">workflow_state or a table made LIKE it; a name of the caller's own, never input.</param>
    public static async Task<ProjectionCopy> BeginAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        var copy = new ProjectionCopy(await connection.BeginRawBinaryCopyAsync(ProjectionTable.CopyInto(table), cancellationToken));
        copy.buffer.Write(Header);
        return copy;
    }

    public async ValueTask WriteAsync(ProjectionRow row, CancellationToken cancellationToken)
    {
        Encode(row);
        if (buffer.WrittenCount >= FlushThreshold)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Ends the COPY; the rows become visible with the caller's transaction.</summary>
    /// <exception cref="PostgresException">The database refused the rows.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        Int16(-1);
        await FlushAsync(cancellationToken);
        completed = true;
        await stream.DisposeAsync();
    }

    /// <summary>Cancels the COPY unless it was completed, so nothing of it is stored.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!completed)
        {
            await stream.CancelAsync();
        }

        await stream.DisposeAsync();
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
        buffer.ResetWrittenCount();
    }

    // In the order of ProjectionRow.Columns, which the tests hold against the migrated table.
    private void Encode(ProjectionRow row)
    {
        Int16((short)ProjectionRow.Columns.Count);
        Text(row.WorkflowId);
        Text(row.Status);
        Text(row.Phase);
        Text(row.Initiator);
        Int64(row.StartedAt);
        Int64(row.CompletedAt);
        Text(row.FailureReason);
        Int64(row.FirstEvent.BlockNumber);
        Int32(row.FirstEvent.TransactionIndex);
        Int32(row.FirstEvent.LogIndex);
        Int64(row.LastEvent.BlockNumber);
        Int32(row.LastEvent.TransactionIndex);
        Int32(row.LastEvent.LogIndex);
        Int32(row.EventCount);
        Numeric(row.SettledTotal);
        Jsonb(row.Decisions);
        Jsonb(row.Settlements);
        Jsonb(row.Anomalies);
    }

    private void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        var span = buffer.GetSpan(sizeof(int) + Utf8.GetMaxByteCount(value.Length));
        var length = Utf8.GetBytes(value, span[sizeof(int)..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        buffer.Advance(sizeof(int) + length);
    }

    /// <summary>jsonb's binary form: a version byte (1), then the JSON text.</summary>
    private void Jsonb(string json)
    {
        var span = buffer.GetSpan(sizeof(int) + 1 + Utf8.GetMaxByteCount(json.Length));
        span[sizeof(int)] = 1;
        var length = Utf8.GetBytes(json, span[(sizeof(int) + 1)..]);
        BinaryPrimitives.WriteInt32BigEndian(span, 1 + length);
        buffer.Advance(sizeof(int) + 1 + length);
    }

    private void Int64(long? value)
    {
        if (value is not { } present)
        {
            Null();
            return;
        }

        var span = buffer.GetSpan(sizeof(int) + sizeof(long));
        BinaryPrimitives.WriteInt32BigEndian(span, sizeof(long));
        BinaryPrimitives.WriteInt64BigEndian(span[sizeof(int)..], present);
        buffer.Advance(sizeof(int) + sizeof(long));
    }

    private void Int32(int value)
    {
        var span = buffer.GetSpan(2 * sizeof(int));
        BinaryPrimitives.WriteInt32BigEndian(span, sizeof(int));
        BinaryPrimitives.WriteInt32BigEndian(span[sizeof(int)..], value);
        buffer.Advance(2 * sizeof(int));
    }

    /// <summary>
    /// numeric's binary form for an integer: int16 digit count, int16 weight (the power of 10000 of the
    /// first digit), int16 sign, int16 display scale (0), then the base-10000 digits from the most
    /// significant, trailing zero digits left out as PostgreSQL itself stores them.
    /// </summary>
    private void Numeric(BigInteger value)
    {
        var decimalDigits = BigInteger.Abs(value).ToString(CultureInfo.InvariantCulture);
        var groups = (decimalDigits.Length + 3) / 4;
        Span<short> digits = stackalloc short[groups];
        var end = decimalDigits.Length - ((groups - 1) * 4);
        for (int group = 0, start = 0; group < groups; group++, start = end, end += 4)
        {
            digits[group] = short.Parse(decimalDigits.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture);
        }

        var count = groups;
        while (count > 0 && digits[count - 1] == 0)
        {
            count--;
        }

        Int32Header(4 * sizeof(short) + (count * sizeof(short)));
        Int16((short)count);
        Int16((short)(count == 0 ? 0 : groups - 1));
        Int16(value.Sign < 0 ? NumericNegative : (short)0);
        Int16(0);
        foreach (var digit in digits[..count])
        {
            Int16(digit);
        }
    }

    private void Null() => Int32Header(-1);

    private void Int32Header(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(sizeof(int)), value);
        buffer.Advance(sizeof(int));
    }

    private void Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(buffer.GetSpan(sizeof(short)), value);
        buffer.Advance(sizeof(short));
    }
}
