using Dapper;
using ServiceDefaults.Configuration;
using Npgsql;
using TestSupport;

namespace Indexer.Worker.Tests.DatabaseFaults;

/// <summary>
/// A transaction of the test's own holding a lock the writer needs next (as a slow reader or a DBA might).
/// The writer waits on it, so PostgreSQL can be stopped at a known point of the writer's work, mid-backfill
/// or mid-replay, rather than whenever a race happens to allow.
/// </summary>
public sealed class WriterBlocker : IAsyncDisposable
{
    private const string WaitingOnLocks = """
        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
        """;

    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    private readonly ObservedDatabase database;
    private readonly NpgsqlConnection connection;

    private WriterBlocker(ObservedDatabase database, NpgsqlConnection connection)
    {
        this.database = database;
        this.connection = connection;
    }

    /// <param name="lockingStatement">Takes the lock, e.g. a SELECT … FOR UPDATE or a LOCK TABLE.</param>
    public static async Task<WriterBlocker> HoldAsync(ObservedDatabase database, string lockingStatement)
    {
        // Unpooled: the server's stop kills this session, and a dead session must not go back to a pool.
        var settings = new NpgsqlConnectionStringBuilder(DatabaseUrl.Parse(database.Url).ConnectionString) { Pooling = false };
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        // Never committed: the lock lasts until the server stops (or the test ends).
        await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(lockingStatement);
        return new WriterBlocker(database, connection);
    }

    // Asked outside the blocking transaction: inside it, pg_stat_activity would show the snapshot of its first read.
    public Task WaitUntilTheWriterWaitsAsync(ChildProcess worker) =>
        Eventually.TrueAsync(
            async () => await database.ScalarAsync(WaitingOnLocks) > 0,
            WaitTimeout,
            $"the worker should come to wait for the lock the test holds.\n{worker.Output}");

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
