using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using Core.Domain.Events;

namespace Core.Domain.Proofs;

/// <summary>
/// Appends the primitives of the canonical encoding (<see cref="CanonicalEncoding"/>) to a reusable
/// buffer, so hashing a long log does not allocate an array per event.
/// </summary>
internal sealed class CanonicalWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(512);

    public ReadOnlySpan<byte> Written => buffer.WrittenSpan;

    public void Reset() => buffer.ResetWrittenCount();

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(sizeof(int)), value);
        buffer.Advance(sizeof(int));
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(sizeof(long)), value);
        buffer.Advance(sizeof(long));
    }

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void Text(string value)
    {
        var length = CanonicalJson.Utf8.GetByteCount(value);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(sizeof(uint)), (uint)length);
        buffer.Advance(sizeof(uint));
        buffer.Advance(CanonicalJson.Utf8.GetBytes(value, buffer.GetSpan(length)));
    }

    public void OptionalText(string? value)
    {
        Bool(value is not null);
        if (value is not null)
        {
            Text(value);
        }
    }

    public void OptionalInt64(long? value)
    {
        Bool(value.HasValue);
        if (value is { } present)
        {
            Int64(present);
        }
    }

    public void Position(EventPosition position)
    {
        Int64(position.BlockNumber);
        Int32(position.TransactionIndex);
        Int32(position.LogIndex);
    }

    /// <summary>A uint256 fits no fixed width; its invariant decimal string does.</summary>
    public void Amount(BigInteger value) => Text(value.ToString(CultureInfo.InvariantCulture));

    private void Byte(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }
}
