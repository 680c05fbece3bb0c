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
    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var replayed = false;
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

                    await follower.FollowAsync(writer, stoppingToken);
                }
                catch (Exception e) when (e is WriterLockLostException or NpgsqlException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Stopped writing: {Reason}. Standing by for the writer lock", e.Message);
                    await TryMarkReplayFailedAsync(replayed, stoppingToken);
                    await Task.Delay(PauseAfterFailure, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            // Only data this worker's own code could not have written ends up here: stop, loudly.
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
