using Indexer.Worker.EventLog;
using Indexer.Worker.Ingestion;
using Indexer.Worker.Operations;
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
        // The database went away, the lock with it, or a read broke mid-stream (a connection torn down under a COPY
        // fails in many shapes): give up the lock and stand by for it again. Only corrupt data stops the worker.
        var standByAgain = new RetryUntilStopped(
            first: TimeSpan.FromMilliseconds(500),
            ceiling: TimeSpan.FromSeconds(30),
            jitter: 0,
            retries: e => !stoppingToken.IsCancellationRequested && !CorruptData.Is(e),
            onRetry: async (e, _, pause) =>
            {
                logger.LogWarning(
                    "Stopped writing: {Reason}. Standing by for the writer lock in {PauseMs} ms", e.Message, (long)pause.TotalMilliseconds);
                await TryMarkReplayFailedAsync(replayed, stoppingToken);
            });
        try
        {
            await standByAgain.ExecuteAsync(
                async token =>
                {
                    while (!token.IsCancellationRequested)
                    {
                        await using var writer = await writerLock.AcquireAsync(token);
                        await status.BecameWriterAsync(token);
                        if (!replayed)
                        {
                            await rebuilder.RebuildAsync(writer.Connection, token);
                            replayed = true;
                            replayCompletion.MarkDone();
                        }

                        standByAgain.Progressed();
                        await follower.FollowAsync(writer, token);
                    }
                },
                stoppingToken);
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
