using Dapper;
using ServiceDefaults.Configuration;
using Npgsql;
using TestSupport;

namespace Indexer.Worker.Tests.Crashes;

/// <summary>
/// The test's own connection to the database a worker is being killed on: it watches the checkpoint
/// closely enough to kill between two commits, and reads back what the worker was doing when it died.
/// </summary>
public sealed class DatabaseProbe : IAsyncDisposable
{
    // Eventually polls every 75 ms, in which the worker commits several ranges: too coarse to pick the commit to kill after.
    private static readonly TimeSpan CheckpointPollInterval = TimeSpan.FromMilliseconds(5);

    private readonly NpgsqlConnection connection;

    private DatabaseProbe(NpgsqlConnection connection) => this.connection = connection;

    public static async Task<DatabaseProbe> OpenAsync(ObservedDatabase database)
    {
        var connection = new NpgsqlConnection(DatabaseUrl.Parse(database.Url).ConnectionString);
        await connection.OpenAsync();
        return new DatabaseProbe(connection);
    }

    /// <summary>The server's clock, which also stamps replay_started_at.</summary>
    public Task<DateTime> ClockAsync() => connection.ExecuteScalarAsync<DateTime>("SELECT clock_timestamp()");

    /// <returns>The last ingested block, or null before the first worker created the checkpoint.</returns>
    public Task<long?> CheckpointAsync() =>
        connection.QuerySingleOrDefaultAsync<long?>("SELECT last_block FROM sync_checkpoint WHERE id = 1");

    /// <summary>Returns as soon as the checkpoint reaches <paramref name="block"/>.</summary>
    /// <exception cref="InvalidOperationException">The worker exited on its own.</exception>
    public async Task UntilCheckpointAsync(long block, ChildProcess worker, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await CheckpointAsync() is not { } reached || reached < block)
        {
            if (worker.HasExited)
            {
                throw new InvalidOperationException($"The worker exited on its own before ingesting block {block}.\n{worker.Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The worker did not ingest block {block} within {timeout.TotalSeconds} s.\n{worker.Output}");
            }

            await Task.Delay(CheckpointPollInterval);
        }
    }

    /// <param name="startedAt">The server's clock just before the killed worker started.</param>
    /// <param name="backlogEnd">The last confirmed block when it started.</param>
    public async Task<KillPhase> PhaseOfKillAsync(DateTime startedAt, long backlogEnd)
    {
        var replay = await connection.QuerySingleAsync<(string State, bool OwnReplay)>(
            "SELECT replay_state, coalesce(replay_started_at >= @startedAt, false) FROM indexer_status WHERE id = 1",
            new { startedAt });
        if (!replay.OwnReplay)
        {
            return KillPhase.BeforeReplay;
        }

        if (replay.State == "running")
        {
            return KillPhase.Replay;
        }

        return await CheckpointAsync() < backlogEnd ? KillPhase.Backfill : KillPhase.Following;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
