using Dapper;
using Indexer.Worker.Configuration;
using Indexer.Worker.Startup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using ServiceDefaults.Configuration;

namespace Indexer.Worker.SingleWriter;

/// <summary>
/// Any number of workers may run against one database; the one holding a PostgreSQL advisory lock
/// writes, the others wait as hot standbys. The lock lives on a connection of its own that also
/// carries every write, so a writer whose connection dies has lost the lock and can no longer write.
/// </summary>
public sealed class WriterLock(
    NpgsqlConnectionStringBuilder database,
    WorkerRole role,
    IOptions<WorkerOptions> options,
    ILogger<WriterLock> logger,
    SessionsAhead? sessionsAhead = null) : IAsyncDisposable
{
    /// <summary>"x402" in ASCII: one lock per database, whatever else shares the server.</summary>
    public const long Key = 0x7834_3032;

    /// <summary>A writer that stops cleanly says so here after releasing the lock, so a standby takes over at once.</summary>
    public const string ReleasedChannel = "x402_writer_released";

    private const string TryLock = "SELECT pg_try_advisory_lock(@Key)";

    private const string ListenForRelease = $"LISTEN {ReleasedChannel}";

    private readonly NpgsqlDataSource lockConnections = ConnectionsFor(database);

    private Task<NpgsqlConnection>? openedAhead = sessionsAhead?.TakeLockSession(database);

    /// <summary>
    /// Where the lock's connections come from: unpooled, so closing a connection ends its session and frees the
    /// lock; keepalives make a dead peer show soon.
    /// </summary>
    public static NpgsqlDataSource ConnectionsFor(NpgsqlConnectionStringBuilder database) =>
        PostgresDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            TcpKeepAlive = true,
            ApplicationName = "x402-indexer-writer",
        });

    /// <summary>
    /// Opens the connection the next attempt to take the lock will use, without taking it yet: a worker starting
    /// up opens it while its preflight runs (a new session took 20-40 ms here, with SCRAM), and takes the lock only
    /// once the preflight passed. A connection that failed to open, or broke meanwhile, fails that attempt, which is retried as any other.
    /// </summary>
    public void ConnectAhead(CancellationToken cancellationToken) => openedAhead ??= OpenAsync(cancellationToken);

    /// <summary>Waits (as a standby) until this worker holds the lock.</summary>
    public async Task<WriterSession> AcquireAsync(CancellationToken cancellationToken)
    {
        var pollInterval = TimeSpan.FromMilliseconds(options.Value.WriterLockPollMs);
        // The database is down: back off, and say so on the first failure and now and then, not on every try.
        var reconnect = new ResiliencePipelineBuilder<(NpgsqlConnection, bool)>()
            .AddRetry(new RetryStrategyOptions<(NpgsqlConnection, bool)>
            {
                ShouldHandle = new PredicateBuilder<(NpgsqlConnection, bool)>().Handle<NpgsqlException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = pollInterval,
                MaxDelay = TimeSpan.FromSeconds(10),
                UseJitter = false,
                OnRetry = arguments =>
                {
                    var attempts = arguments.AttemptNumber + 1;
                    if (attempts == 1 || attempts % 10 == 0)
                    {
                        logger.LogWarning("Cannot take the writer lock ({Attempts} attempts): {Reason}", attempts, arguments.Outcome.Exception!.Message);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        var standingBy = false;
        while (true)
        {
            var (connection, holdsLock) = await reconnect.ExecuteAsync(async token => await TryLockOnNewConnectionAsync(token), cancellationToken);
            try
            {
                while (!holdsLock)
                {
                    if (!standingBy)
                    {
                        logger.LogInformation("Another worker holds the writer lock; standing by");
                        standingBy = true;
                    }

                    // Until the writer announces it let go of the lock, or the poll interval passes (a writer that died says nothing).
                    await connection.WaitAsync(pollInterval, cancellationToken);
                    holdsLock = await connection.ExecuteScalarAsync<bool>(TryLock, new { Key });
                }

                role.BecomeWriter(connection.ProcessID);
                logger.LogInformation("This worker holds the writer lock and writes");
                return new WriterSession(connection, role);
            }
            catch (NpgsqlException)
            {
                // This standby's own connection broke: the next try opens a new one, backing off while the database is down.
                await connection.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
                await connection.DisposeAsync();
                throw;
            }
        }
    }

    /// <returns>The session, or null when another worker holds the lock right now.</returns>
    public async Task<WriterSession?> TryAcquireOnceAsync(CancellationToken cancellationToken)
    {
        var (connection, holdsLock) = await TryLockOnNewConnectionAsync(cancellationToken);
        if (holdsLock)
        {
            role.BecomeWriter(connection.ProcessID);
            return new WriterSession(connection, role);
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <returns>A new connection, listening for the writer's release, and whether it holds the lock; one that fails on the way is closed.</returns>
    private async Task<(NpgsqlConnection Connection, bool HoldsLock)> TryLockOnNewConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = await (Interlocked.Exchange(ref openedAhead, null) ?? OpenAsync(cancellationToken));
        try
        {
            await using (var listen = new NpgsqlCommand(ListenForRelease, connection))
            {
                await listen.ExecuteNonQueryAsync(cancellationToken);
            }

            return (connection, await connection.ExecuteScalarAsync<bool>(TryLock, new { Key }));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = lockConnections.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => lockConnections.DisposeAsync();
}
