using Indexer.Worker.Chain;
using Indexer.Worker.Configuration;
using Indexer.Worker.EventLog;
using Indexer.Worker.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Backfills from the checkpoint and then follows the chain: confirmed ranges only (never above
/// head − CONFIRMATION_BLOCKS), halving a range the node refuses, and on any failure backing off
/// and retrying the same range. A range is never skipped.
/// </summary>
public sealed class ChainFollower(
    IChainClient chain,
    RangeFetcher fetcher,
    RangeCommitter committer,
    StatusStore status,
    NpgsqlDataSource database,
    IOptions<WorkerOptions> options,
    ILogger<ChainFollower> logger)
{
    private const int SuccessesBeforeWidening = 8;

    private readonly WorkerOptions settings = options.Value;

    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        var progress = new IngestionProgress(logger, TimeSpan.FromMilliseconds(settings.ProgressLogIntervalMs));
        var pollInterval = TimeSpan.FromMilliseconds(settings.PollIntervalMs);
        var rangeSize = settings.MaxBlockRange;
        var successes = 0;
        var failures = 0;
        long? lastBlock = null;
        long confirmed = -1;
        long head = -1;

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                lastBlock ??= await LastIngestedBlockAsync(cancellationToken);
                var from = lastBlock.Value + 1;
                if (from > confirmed)
                {
                    head = await chain.GetHeadAsync(cancellationToken);
                    confirmed = head - settings.ConfirmationBlocks;
                    await status.ChainAsync(head, confirmed, cancellationToken);
                    if (from > confirmed)
                    {
                        progress.ReportIfDue(lastBlock.Value, head, confirmed);
                        await Task.Delay(pollInterval, cancellationToken);
                        continue;
                    }
                }

                var to = Math.Min(from + rangeSize - 1, confirmed);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                IngestedRange range;
                try
                {
                    range = await fetcher.FetchAsync(settings.NormalizedContractAddress, from, to, cancellationToken);
                }
                catch (RangeTooLargeException e) when (to > from)
                {
                    rangeSize = (int)Math.Max(1, (to - from + 1) / 2);
                    successes = 0;
                    logger.LogInformation("{Reason}; trying {RangeSize} blocks at a time", e.Message, rangeSize);
                    continue;
                }

                var fetched = clock.Elapsed;
                var added = await committer.CommitAsync(range, settings.ChainId, settings.NormalizedContractAddress, cancellationToken);
                logger.LogDebug(
                    "Blocks {From}..{To}: {Events} events fetched in {FetchMs} ms, {Added} new stored in {CommitMs} ms",
                    from, to, range.Events.Count, (long)fetched.TotalMilliseconds, added, (long)(clock.Elapsed - fetched).TotalMilliseconds);
                lastBlock = to;
                failures = 0;
                if (++successes >= SuccessesBeforeWidening && rangeSize < settings.MaxBlockRange)
                {
                    rangeSize = Math.Min(settings.MaxBlockRange, rangeSize * 2);
                    successes = 0;
                }

                progress.Add(range, added);
                progress.ReportIfDue(to, head, confirmed);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever failed (node, database, a conflicting writer), the same range is tried again
                // from the checkpoint as stored, after a growing pause.
                lastBlock = null;
                confirmed = -1;
                var pause = Backoff(++failures);
                logger.LogWarning(
                    "Ingestion paused after failure {Failures}: {Reason}. Retrying in {PauseMs} ms",
                    failures, RpcPipeline.Describe(e), (long)pause.TotalMilliseconds);
                await Task.Delay(pause, cancellationToken);
            }
        }
    }

    private async Task<long> LastIngestedBlockAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var checkpoint = await CheckpointStore.GetAsync(connection)
            ?? throw new CheckpointConflictException("The checkpoint row is missing; was the database reset under a running worker?");
        return checkpoint.LastBlock;
    }

    private static TimeSpan Backoff(int failures)
    {
        var exponential = Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromMilliseconds(exponential * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }
}
