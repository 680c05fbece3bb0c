using System.Buffers;

namespace Migrations.Copy;

/// <summary>
/// A growing byte buffer on arrays rented from one pool, given back by <see cref="Dispose"/>. COPY rows are
/// encoded into buffers of megabytes while catching up; allocated anew, they put about 150 MB on the
/// large-object heap per 100k events, and every collection of that heap is a full (gen2) collection.
/// </summary>
public sealed class PooledBufferWriter(int initialCapacity) : IBufferWriter<byte>, IDisposable
{
    // Unlike ArrayPool<byte>.Shared, one pool for all threads: a buffer is filled where its range is
    // fetched and given back where it is committed. Buffers in use at once are few (ranges in flight).
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 256 * 1024 * 1024, maxArraysPerBucket: 8);

    private byte[]? array = Pool.Rent(initialCapacity);
    private int written;

    /// <exception cref="ObjectDisposedException">The buffer was given back.</exception>
    public ReadOnlyMemory<byte> WrittenMemory => Rented.AsMemory(0, written);

    /// <summary>What was written so far, to patch in place (a length known only after its value).</summary>
    /// <exception cref="ObjectDisposedException">The buffer was given back.</exception>
    public Span<byte> WrittenSpan => Rented.AsSpan(0, written);

    public int WrittenCount => written;

    private byte[] Rented => array ?? throw new ObjectDisposedException(nameof(PooledBufferWriter));

    public void ResetWrittenCount() => written = 0;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Rented.Length - written);
        written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(written);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(written);

    public void Dispose()
    {
        if (array is { } rented)
        {
            array = null;
            Pool.Return(rented);
        }
    }

    private byte[] Reserve(int sizeHint)
    {
        var current = Rented;
        var needed = written + Math.Max(sizeHint, 1);
        if (needed <= current.Length)
        {
            return current;
        }

        var larger = Pool.Rent(Math.Max(needed, current.Length * 2));
        current.AsSpan(0, written).CopyTo(larger);
        Pool.Return(current);
        array = larger;
        return larger;
    }
}
