using System.Diagnostics;
using Benchmark.Database;
using Benchmark.Processes;
using Migrations.Notifications;
using Npgsql;
using Simulator.Bulk;
using TestSupport;

namespace Benchmark.Phases;

/// <summary>
/// Catch-up: the real worker, default settings, on an empty database; timed from process start until
/// sync_checkpoint.last_block reaches the last event block. CPU and peak RSS are read from /proc before it is stopped.
/// </summary>
public static class CatchUp
{
    private const string CheckpointSql = "SELECT coalesce(max(last_block), -1) FROM sync_checkpoint";
    private const string ListenForCommits = $"LISTEN {ChangeNotice.Channel}";

    // The worker announces each commit, so the checkpoint is read again as soon as it may have moved; the
    // interval only bounds how long a missed notice (none is expected) or an exited worker goes unnoticed.
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(100);

    public sealed record Outcome(double Seconds, ProcessStats Stats);

    public static async Task<Outcome> RunAsync(
        ObserverProcesses observer, BulkResult chain, BenchDatabase database, TimeSpan stallTimeout, TextWriter log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var worker = observer.StartWorker(chain, database);
        await using var sampler = new StatsSampler(worker);
        await WaitForCheckpointAsync(worker, database, chain.LastBlock, stallTimeout, log, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var stats = sampler.ReadNow() ?? throw new BenchmarkPhaseException("The worker's /proc entry could not be read.");
        return new Outcome(seconds, stats);
    }

    /// <summary>Waits until the worker's checkpoint reaches <paramref name="block"/>; fails when the worker exits or its checkpoint stalls.</summary>
    public static async Task WaitForCheckpointAsync(
        ChildProcess worker, BenchDatabase database, long block, TimeSpan stallTimeout, TextWriter log, CancellationToken cancellationToken)
    {
        var lastSeen = long.MinValue;
        var lastMove = Stopwatch.StartNew();
        var lastReport = Stopwatch.StartNew();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var listen = new NpgsqlCommand(ListenForCommits, connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        // A notice that arrives while the checkpoint is being read is taken in by that read: remembered here, so no wait follows it.
        var noticed = false;
        connection.Notification += (_, _) => noticed = true;
        await using var read = new NpgsqlCommand(CheckpointSql, connection);
        while (true)
        {
            noticed = false;
            var checkpoint = (long)(await read.ExecuteScalarAsync(cancellationToken))!;
            if (checkpoint >= block)
            {
                return;
            }

            if (worker.HasExited)
            {
                throw new BenchmarkPhaseException($"The worker exited at checkpoint {checkpoint} of {block}:\n{Tail(worker.Output)}");
            }

            if (checkpoint != lastSeen)
            {
                (lastSeen, lastMove) = (checkpoint, Stopwatch.StartNew());
            }
            else if (lastMove.Elapsed > stallTimeout)
            {
                throw new BenchmarkPhaseException(
                    $"The worker's checkpoint stayed at {checkpoint} (of {block}) for {stallTimeout.TotalSeconds:0} s:\n{Tail(worker.Output)}");
            }

            if (lastReport.Elapsed > TimeSpan.FromSeconds(30))
            {
                log.WriteLine($"  worker checkpoint {checkpoint} of {block}");
                lastReport.Restart();
            }

            if (!noticed)
            {
                await connection.WaitAsync(RecheckInterval, cancellationToken);
            }
        }
    }

    public static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(8));
}
