using System.Data;
using Npgsql;

namespace Indexer.Worker.SingleWriter;

/// <summary>The writer's lock-holding connection. Disposing it releases the lock.</summary>
public sealed class WriterSession(NpgsqlConnection connection, WorkerRole role) : IAsyncDisposable
{
    public NpgsqlConnection Connection { get; } = connection;

    /// <summary>False once the connection broke: the server has released the lock with it.</summary>
    public bool HoldsLock => Connection.FullState == ConnectionState.Open;

    /// <exception cref="WriterLockLostException">The connection, and with it the lock, is gone.</exception>
    public async Task EnsureLockAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var probe = new NpgsqlCommand("SELECT 1", Connection);
            await probe.ExecuteScalarAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new WriterLockLostException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        role.BecomeStandby();
        await Connection.DisposeAsync();
    }
}

public sealed class WriterLockLostException(Exception cause)
    : Exception($"The writer lock's connection failed, so the lock is gone: {cause.Message}", cause);
