using Indexer.Worker.Ingestion;
using Indexer.Worker.Replay;
using Indexer.Worker.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Indexer.Worker;

/// <summary>The worker's life: rebuild the projection from the log, then follow the chain.</summary>
public sealed class IndexerService(
    ProjectionRebuilder rebuilder,
    ChainFollower follower,
    StatusStore status,
    IHostApplicationLifetime lifetime,
    ILogger<IndexerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ReplayUntilDoneAsync(stoppingToken);
            await follower.FollowAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only a log the reducer's own writer could not have written ends up here: stop, loudly.
            logger.LogCritical(e, "The worker stopped on an unrecoverable error");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task ReplayUntilDoneAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await rebuilder.RebuildAsync(stoppingToken);
                return;
            }
            catch (NpgsqlException e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Replay attempt {Attempt} failed: {Reason}. Retrying", attempt, e.Message);
                await TryMarkFailedAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stoppingToken);
            }
        }
    }

    private async Task TryMarkFailedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await status.ReplayFailedAsync(stoppingToken);
        }
        catch (NpgsqlException)
        {
            // The database is what failed; the next attempt will write the state again.
        }
    }
}
