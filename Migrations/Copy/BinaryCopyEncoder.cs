using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Migrations.Copy;

/// <summary>
/// Encodes rows in PostgreSQL's binary COPY format into a buffer: per row an int16 field count, then
/// per field an int32 byte length (−1 for null) and the value in the type's binary form, all integers
/// big-endian (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4). Encoding a row
/// costs a few copies of its bytes; the driver's per-value writes cost several times more, which at a
/// million rows is seconds of CPU. Callers write each row's fields in their COPY statement's column order.
/// </summary>
public class BinaryCopyEncoder(PooledBufferWriter buffer)
{
    // numeric's sign word for a negative value; positive is 0.
    private const short NumericNegative = 0x4000;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    protected PooledBufferWriter Buffer => buffer;

    public void StartRow(int fields) => Int16((short)fields);

    /// <summary>text or varchar.</summary>
    public void Text(string? value)
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

    /// <summary>jsonb's binary form, its JSON text written in place by <paramref name="write"/>.</summary>
    public void Jsonb<T>(T value, Action<IBufferWriter<byte>, T> write)
    {
        var start = buffer.WrittenCount;
        buffer.GetSpan(sizeof(int) + 1)[sizeof(int)] = 1;
        buffer.Advance(sizeof(int) + 1);
        write(buffer, value);
        BinaryPrimitives.WriteInt32BigEndian(buffer.WrittenSpan[start..], buffer.WrittenCount - start - sizeof(int));
    }

    /// <summary>jsonb's binary form: a version byte (1), then the JSON text.</summary>
    public void Jsonb(string json)
    {
        var span = buffer.GetSpan(sizeof(int) + 1 + Utf8.GetMaxByteCount(json.Length));
        span[sizeof(int)] = 1;
        var length = Utf8.GetBytes(json, span[(sizeof(int) + 1)..]);
        BinaryPrimitives.WriteInt32BigEndian(span, 1 + length);
        buffer.Advance(sizeof(int) + 1 + length);
    }

    public void Int64(long? value)
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

    public void Int32(int value)
    {
        var span = buffer.GetSpan(2 * sizeof(int));
        BinaryPrimitives.WriteInt32BigEndian(span, sizeof(int));
        BinaryPrimitives.WriteInt32BigEndian(span[sizeof(int)..], value);
        buffer.Advance(2 * sizeof(int));
    }

    /// <summary>uuid's binary form: its 16 bytes in RFC 4122 (big-endian) order.</summary>
    public void Uuid(Guid value)
    {
        var span = buffer.GetSpan(sizeof(int) + 16);
        BinaryPrimitives.WriteInt32BigEndian(span, 16);
        value.TryWriteBytes(span.Slice(sizeof(int), 16), bigEndian: true, out _);
        buffer.Advance(sizeof(int) + 16);
    }

    /// <summary>
    /// numeric's binary form for an integer: int16 digit count, int16 weight (the power of 10000 of the
    /// first digit), int16 sign, int16 display scale (0), then the base-10000 digits from the most
    /// significant, trailing zero digits left out as PostgreSQL itself stores them.
    /// </summary>
    public void Numeric(BigInteger value)
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

    public void Null() => Int32Header(-1);

    private void Int32Header(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(sizeof(int)), value);
        buffer.Advance(sizeof(int));
    }

    protected void Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(buffer.GetSpan(sizeof(short)), value);
        buffer.Advance(sizeof(short));
    }
}
