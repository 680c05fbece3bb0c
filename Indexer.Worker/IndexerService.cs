using Indexer.Worker.EventLog;
using Indexer.Worker.Ingestion;
using Indexer.Worker.Replay;
using Indexer.Worker.SingleWriter;
using Indexer.Worker.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Indexer.Worker;

/// <summary>
/// The worker's life: stand by until it holds the writer lock, rebuild the projection from the log
/// (once per process), then follow the chain. Losing the lock sends it back to standing by.
/// </summary>
public sealed class IndexerService(
    WriterLock writerLock,
    ProjectionRebuilder rebuilder,
    ChainFollower follower,
    ReplayCompletion replayCompletion,
    StatusStore status,
    IHostApplicationLifetime lifetime,
    ILogger<IndexerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var replayed = false;
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await using var writer = await writerLock.AcquireAsync(stoppingToken);
                try
                {
                    await status.BecameWriterAsync(stoppingToken);
                    if (!replayed)
                    {
                        await rebuilder.RebuildAsync(writer.Connection, stoppingToken);
                        replayed = true;
                        replayCompletion.MarkDone();
                    }

                    failures = 0;
                    await follower.FollowAsync(writer, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested && !CorruptData.Is(e))
                {
                    // The database went away, the lock with it, or a read broke mid-stream (a connection
                    // torn down under a COPY fails in many shapes): give up the lock and try again later.
                    var pause = TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, Math.Min(failures++, 6))));
                    logger.LogWarning(
                        "Stopped writing: {Reason}. Standing by for the writer lock in {PauseMs} ms", e.Message, (long)pause.TotalMilliseconds);
                    await TryMarkReplayFailedAsync(replayed, stoppingToken);
                    await Task.Delay(pause, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            // Only corrupt data ends up here: stop, loudly.
            logger.LogCritical(e, "The worker stopped on an unrecoverable error");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task TryMarkReplayFailedAsync(bool replayed, CancellationToken stoppingToken)
    {
        if (replayed)
        {
            return;
        }

        try
        {
            await status.ReplayFailedAsync(stoppingToken);
        }
        catch (NpgsqlException)
        {
            // The database is what failed; the next attempt writes the state again.
        }
    }
}
