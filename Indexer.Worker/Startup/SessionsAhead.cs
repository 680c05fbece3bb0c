using Indexer.Worker.SingleWriter;
using Microsoft.Extensions.Configuration;
using Npgsql;
using ServiceDefaults.Configuration;

namespace Indexer.Worker.Startup;

/// <summary>
/// The database sessions a start opens first, opened while the host is still being built instead of after
/// it: the preflight's, from the pool the worker then uses (it goes back there), and the writer lock's.
/// A new session took 20-25 ms here (a forked backend, SCRAM), building the host about 40. On the sparse
/// benchmark chain, exec to "Replay started" took 93-101 ms against 102-122 (six alternating runs each),
/// exec to "Now listening" 165-187 ms against 170-199 (five).
/// They are only hints: the container takes them when its settings name the same database, and a
/// DATABASE_URL that does not parse opens nothing, so the options' validation reports it as before.
/// </summary>
public sealed class SessionsAhead : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _connection;
    private readonly NpgsqlDataSource _lockConnections;
    private Task<NpgsqlConnection>? _preflightSession;
    private Task<NpgsqlConnection>? _lockSession;

    private SessionsAhead(NpgsqlConnectionStringBuilder connection, bool forWriter)
    {
        _connection = connection;
        Database = PostgresDataSource.Create(connection);
        _lockConnections = WriterLock.ConnectionsFor(connection);
        _preflightSession = Database.OpenConnectionAsync().AsTask();
        _lockSession = forWriter ? _lockConnections.OpenConnectionAsync().AsTask() : null;
    }

    /// <summary>The worker's pool, holding the preflight's session once it is open and given back.</summary>
    public NpgsqlDataSource Database { get; }

    /// <param name="forWriter">Whether the start takes the writer lock (the worker and <c>replay</c>, not <c>verify</c>).</param>
    public static SessionsAhead? TryStart(IConfiguration configuration, bool forWriter)
    {
        try
        {
            return new SessionsAhead(IndexerServices.DatabaseConnection(configuration["DATABASE_URL"]), forWriter);
        }
        catch (InvalidDatabaseUrlException)
        {
            return null;
        }
    }

    /// <returns>This pool when <paramref name="connection"/> has the same settings, otherwise null.</returns>
    public NpgsqlDataSource? DatabaseFor(NpgsqlConnectionStringBuilder connection) => SameAs(connection) ? Database : null;

    /// <summary>The preflight's session, once: null when taken before or when <paramref name="pool"/> is not this pool.</summary>
    public Task<NpgsqlConnection>? TakePreflightSession(NpgsqlDataSource pool) =>
        ReferenceEquals(pool, Database) ? Interlocked.Exchange(ref _preflightSession, null) : null;

    /// <summary>The writer lock's session, once, unpooled: null when taken before, not opened, or meant for another database.</summary>
    public Task<NpgsqlConnection>? TakeLockSession(NpgsqlConnectionStringBuilder connection) =>
        SameAs(connection) ? Interlocked.Exchange(ref _lockSession, null) : null;

    public async ValueTask DisposeAsync()
    {
        await LetGoAsync(Interlocked.Exchange(ref _preflightSession, null));
        await LetGoAsync(Interlocked.Exchange(ref _lockSession, null));
        await _lockConnections.DisposeAsync();
        await Database.DisposeAsync();
    }

    // A session still opening is closed once it opens, not waited for: a start that stopped on a bad setting
    // otherwise waited out the connect timeout of a database that does not answer, even with the open cancelled.
    private static async Task LetGoAsync(Task<NpgsqlConnection>? opening)
    {
        if (opening is { IsCompleted: false })
        {
            _ = opening.ContinueWith(
                opened => opened.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return;
        }

        await OpenedAhead.DisposeAsync(opening);
    }

    private bool SameAs(NpgsqlConnectionStringBuilder connection) => connection.ConnectionString == _connection.ConnectionString;
}
