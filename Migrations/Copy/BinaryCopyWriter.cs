using System.Buffers;
using Npgsql;

namespace Migrations.Copy;

/// <summary>
/// A binary COPY into a table: rows are encoded (<see cref="BinaryCopyEncoder"/>) or handed over
/// already encoded, and sent in large chunks.
/// </summary>
public sealed class BinaryCopyWriter : BinaryCopyEncoder, IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;

    private readonly NpgsqlRawCopyStream stream;
    private bool completed;

    private BinaryCopyWriter(NpgsqlRawCopyStream stream)
        : base(new PooledBufferWriter(2 * FlushThreshold)) => this.stream = stream;

    /// <summary>"PGCOPY\n\377\r\n\0", no flags, no header extension.</summary>
    private static ReadOnlySpan<byte> Header => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <param name="copyFromStdinBinary">A <c>COPY … FROM STDIN (FORMAT BINARY)</c> statement of the caller's own, never input.</param>
    public static async Task<BinaryCopyWriter> BeginAsync(NpgsqlConnection connection, string copyFromStdinBinary, CancellationToken cancellationToken)
    {
        var writer = new BinaryCopyWriter(await connection.BeginRawBinaryCopyAsync(copyFromStdinBinary, cancellationToken));
        writer.Buffer.Write(Header);
        return writer;
    }

    /// <summary>Sends what was encoded once enough of it has gathered; call after each row.</summary>
    public ValueTask EndRowAsync(CancellationToken cancellationToken) =>
        Buffer.WrittenCount >= FlushThreshold ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Sends rows a <see cref="BinaryCopyEncoder"/> encoded for the same columns.</summary>
    public async ValueTask WriteEncodedAsync(ReadOnlyMemory<byte> rows, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await stream.WriteAsync(rows, cancellationToken);
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

    /// <summary>Cancels the COPY unless it was completed, so nothing of it is stored, and gives back the buffer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!completed)
        {
            await stream.CancelAsync();
        }

        await stream.DisposeAsync();
        Buffer.Dispose();
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (Buffer.WrittenCount > 0)
        {
            await stream.WriteAsync(Buffer.WrittenMemory, cancellationToken);
            Buffer.ResetWrittenCount();
        }
    }
}
