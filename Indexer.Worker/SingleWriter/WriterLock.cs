using Dapper;
using Indexer.Worker.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Indexer.Worker.SingleWriter;

/// <summary>
/// Any number of workers may run against one database; the one holding a PostgreSQL advisory lock
/// writes, the others wait as hot standbys. The lock lives on a connection of its own that also
/// carries every write, so a writer whose connection dies has lost the lock and can no longer write.
/// </summary>
public sealed class WriterLock(
    NpgsqlConnectionStringBuilder database, WorkerRole role, IOptions<WorkerOptions> options, ILogger<WriterLock> logger)
{
    /// <summary>"x402" in ASCII: one lock per database, whatever else shares the server.</summary>
    public const long Key = 0x7834_3032;

    /// <summary>A writer that stops cleanly says so here after releasing the lock, so a standby takes over at once.</summary>
    public const string ReleasedChannel = "x402_writer_released";

    private const string TryLock = "SELECT pg_try_advisory_lock(@Key)";

    private const string ListenForRelease = $"LISTEN {ReleasedChannel}";

    /// <summary>Waits (as a standby) until this worker holds the lock.</summary>
    public async Task<WriterSession> AcquireAsync(CancellationToken cancellationToken)
    {
        var pollInterval = TimeSpan.FromMilliseconds(options.Value.WriterLockPollMs);
        var standingBy = false;
        var unreachable = 0;
        NpgsqlConnection? connection = null;
        while (true)
        {
            var pause = pollInterval;
            try
            {
                connection ??= await OpenAsync(cancellationToken);
                unreachable = 0;
                if (await connection.ExecuteScalarAsync<bool>(TryLock, new { Key }))
                {
                    role.BecomeWriter(connection.ProcessID);
                    logger.LogInformation("This worker holds the writer lock and writes");
                    return new WriterSession(connection, role);
                }

                if (!standingBy)
                {
                    logger.LogInformation("Another worker holds the writer lock; standing by");
                    standingBy = true;
                }
            }
            catch (NpgsqlException e)
            {
                // The database is down: back off, and say so on the first failure and now and then, not on every try.
                pause = TimeSpan.FromMilliseconds(Math.Min(10_000, pollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(unreachable++, 6))));
                if (unreachable == 1 || unreachable % 10 == 0)
                {
                    logger.LogWarning("Cannot take the writer lock ({Attempts} attempts): {Reason}", unreachable, e.Message);
                }

                await DisposeQuietlyAsync(connection);
                connection = null;
            }

            try
            {
                await WaitForReleaseAsync(connection, pause, cancellationToken);
            }
            catch (NpgsqlException)
            {
                // The standby's session broke while it waited (terminated, database restarted): open a new one next round.
                await DisposeQuietlyAsync(connection);
                connection = null;
            }
            catch (OperationCanceledException)
            {
                await DisposeQuietlyAsync(connection);
                throw;
            }
        }
    }

    /// <returns>The session, or null when another worker holds the lock right now.</returns>
    public async Task<WriterSession?> TryAcquireOnceAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<bool>(TryLock, new { Key }))
        {
            role.BecomeWriter(connection.ProcessID);
            return new WriterSession(connection, role);
        }

        await connection.DisposeAsync();
        return null;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // Unpooled, so closing it ends the session and frees the lock; keepalives make a dead peer show soon.
        var lockConnection = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            TcpKeepAlive = true,
            ApplicationName = "x402-indexer-writer",
        };
        var connection = new NpgsqlConnection(lockConnection.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var listen = new NpgsqlCommand(ListenForRelease, connection);
        await listen.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Until the writer announces it let go of the lock, or <paramref name="pause"/> passes (a writer that died says nothing).</summary>
    private static async Task WaitForReleaseAsync(NpgsqlConnection? connection, TimeSpan pause, CancellationToken cancellationToken)
    {
        if (connection is null)
        {
            await Task.Delay(pause, cancellationToken);
            return;
        }

        await connection.WaitAsync(pause, cancellationToken);
    }

    private static async Task DisposeQuietlyAsync(NpgsqlConnection? connection)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}
