using System.Diagnostics;
using Benchmark.Database;
using Npgsql;

namespace Benchmark.Phases;

/// <summary>
/// The COPY ceilings, from the worker-built database: every chain_event row and every workflow_state
/// row is copied out (binary) to a file, then timed as a binary COPY into a fresh, migrated database
/// with all of its indexes; and the replay's read side, a binary COPY of chain_event in replay order.
/// </summary>
public static class CopyCeiling
{
    private const string CopyEventsOutSql = "COPY chain_event TO STDOUT (FORMAT binary)";
    private const string CopyEventsInSql = "COPY chain_event FROM STDIN (FORMAT binary)";
    private const string CopyStatesOutSql = "COPY workflow_state TO STDOUT (FORMAT binary)";
    private const string CopyStatesInSql = "COPY workflow_state FROM STDIN (FORMAT binary)";

    private const string CountEventsSql = "SELECT count(*) FROM chain_event";
    private const string CountStatesSql = "SELECT count(*) FROM workflow_state";

    private const string CopyEventsInReplayOrderSql = """
        COPY (SELECT * FROM chain_event ORDER BY workflow_id, block_number, transaction_index, log_index)
        TO STDOUT (FORMAT binary)
        """;

    /// <param name="EventsSeconds">COPY of the events into the fresh database.</param>
    /// <param name="StatesSeconds">COPY of the workflow rows into the fresh database (the replay ceiling's write side).</param>
    /// <param name="ReplayOrderReadSeconds">Binary COPY read of the events in replay order (the replay ceiling's read side).</param>
    public sealed record Outcome(long Events, long Workflows, double EventsSeconds, double StatesSeconds, double ReplayOrderReadSeconds);

    public static async Task<Outcome> RunAsync(BenchDatabase indexed, BenchDatabase fresh, string workDirectory, CancellationToken cancellationToken)
    {
        var eventsFile = Path.Combine(workDirectory, "chain_event.copy");
        var statesFile = Path.Combine(workDirectory, "workflow_state.copy");
        try
        {
            await using var source = await indexed.OpenAsync(cancellationToken);
            await CopyOutAsync(source, CopyEventsOutSql, eventsFile, cancellationToken);
            await CopyOutAsync(source, CopyStatesOutSql, statesFile, cancellationToken);
            var replayRead = await TimeAsync(() => CopyOutAsync(source, CopyEventsInReplayOrderSql, null, cancellationToken));

            await using var target = await fresh.OpenAsync(cancellationToken);
            var (events, eventsSeconds) = await TimedCopyInAsync(target, CopyEventsInSql, CountEventsSql, eventsFile, cancellationToken);
            var (workflows, statesSeconds) = await TimedCopyInAsync(target, CopyStatesInSql, CountStatesSql, statesFile, cancellationToken);
            return new Outcome(events, workflows, eventsSeconds, statesSeconds, replayRead);
        }
        finally
        {
            File.Delete(eventsFile);
            File.Delete(statesFile);
        }
    }

    /// <param name="path">Null reads and discards.</param>
    private static async Task CopyOutAsync(NpgsqlConnection connection, string sql, string? path, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginRawBinaryCopyAsync(sql, cancellationToken);
        await using var target = path is null ? Stream.Null : File.Create(path);
        await copy.CopyToAsync(target, cancellationToken);
    }

    private static async Task<(long Rows, double Seconds)> TimedCopyInAsync(
        NpgsqlConnection connection, string copySql, string countSql, string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var clock = Stopwatch.StartNew();
        await using (var copy = await connection.BeginRawBinaryCopyAsync(copySql, cancellationToken))
        {
            await file.CopyToAsync(copy, cancellationToken);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await using var count = new NpgsqlCommand(countSql, connection);
        return ((long)(await count.ExecuteScalarAsync(cancellationToken))!, seconds);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }
}
