using System.Data;
using Npgsql;

namespace Indexer.Worker.SingleWriter;

/// <summary>The writer's lock-holding connection. Disposing it releases the lock.</summary>
public sealed class WriterSession(NpgsqlConnection connection, WorkerRole role) : IAsyncDisposable
{
    private const string Release = $"SELECT pg_advisory_unlock(@key); NOTIFY {WriterLock.ReleasedChannel}";

    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(2);

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

    /// <summary>Releases the lock and tells standbys (<see cref="WriterLock.ReleasedChannel"/>), then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        role.BecomeStandby();
        if (HoldsLock)
        {
            try
            {
                // Its own short budget: this runs while the process stops, after the stopping token fired.
                using var budget = new CancellationTokenSource(ReleaseTimeout);
                await using var release = new NpgsqlCommand(Release, Connection);
                release.Parameters.AddWithValue("key", WriterLock.Key);
                await release.ExecuteNonQueryAsync(budget.Token);
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
            {
                // Closing the connection below releases the lock all the same; standbys then find it at their next poll.
            }
        }

        await Connection.DisposeAsync();
    }
}

public sealed class WriterLockLostException(Exception cause)
    : Exception($"The writer lock's connection failed, so the lock is gone: {cause.Message}", cause);
