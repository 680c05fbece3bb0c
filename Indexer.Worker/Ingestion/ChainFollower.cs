using System.Diagnostics;
using Indexer.Worker.Chain;
using Indexer.Worker.Configuration;
using Indexer.Worker.EventLog;
using Indexer.Worker.Reorgs;
using Indexer.Worker.SingleWriter;
using Indexer.Worker.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Backfills from the checkpoint and then follows the chain: confirmed ranges only (never above
/// head − CONFIRMATION_BLOCKS), halving a range the node refuses, repairing the log when the chain
/// reorganised below the checkpoint, and on any other failure backing off and retrying the same
/// range. A range is never skipped.
/// </summary>
public sealed class ChainFollower(
    IChainClient chain,
    RangeFetcher fetcher,
    ReorgRepair reorgs,
    StatusStore status,
    IOptions<WorkerOptions> options,
    ILogger<ChainFollower> logger)
{
    private const int SuccessesBeforeWidening = 8;

    private readonly WorkerOptions settings = options.Value;

    /// <summary>Runs until cancelled.</summary>
    /// <exception cref="WriterLockLostException">The writer lock is gone: stop writing and stand by.</exception>
    public async Task FollowAsync(WriterSession writer, CancellationToken cancellationToken)
    {
        var progress = new IngestionProgress(logger, TimeSpan.FromMilliseconds(settings.ProgressLogIntervalMs));
        var pollInterval = TimeSpan.FromMilliseconds(settings.PollIntervalMs);
        var rangeSize = settings.MaxBlockRange;
        var successes = 0;
        var failures = 0;
        Checkpoint? checkpoint = null;
        ReorgDetectedException? reorg = null;
        long confirmed = -1;
        long head = -1;

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                checkpoint ??= await CheckpointStore.GetAsync(writer.Connection)
                    ?? throw new CheckpointConflictException("The checkpoint row is missing; was the database reset under a running worker?");
                if (reorg is not null)
                {
                    await reorgs.RepairAsync(writer.Connection, checkpoint, reorg, cancellationToken);
                    reorg = null;
                    checkpoint = null;
                    confirmed = -1;
                    continue;
                }

                var from = checkpoint.LastBlock + 1;
                if (from > confirmed)
                {
                    head = await chain.GetHeadAsync(cancellationToken);
                    confirmed = head - settings.ConfirmationBlocks;
                    await status.ChainAsync(head, confirmed, cancellationToken);
                    if (from > confirmed)
                    {
                        await CheckLastBlockIsCanonicalAsync(checkpoint, cancellationToken);
                        await writer.EnsureLockAsync(cancellationToken);
                        progress.ReportIfDue(checkpoint.LastBlock, head, confirmed);
                        await Task.Delay(pollInterval, cancellationToken);
                        continue;
                    }
                }

                var to = Math.Min(from + rangeSize - 1, confirmed);
                var clock = Stopwatch.StartNew();
                IngestedRange range;
                try
                {
                    range = await fetcher.FetchAsync(settings.NormalizedContractAddress, from, to, checkpoint.LastBlockHash, cancellationToken);
                }
                catch (RangeTooLargeException e) when (to > from)
                {
                    rangeSize = (int)Math.Max(1, (to - from + 1) / 2);
                    successes = 0;
                    logger.LogInformation("{Reason}; trying {RangeSize} blocks at a time", e.Message, rangeSize);
                    continue;
                }

                var fetched = clock.Elapsed;
                var added = await RangeCommitter.CommitAsync(
                    writer.Connection, range, settings.ChainId, settings.NormalizedContractAddress, cancellationToken);
                logger.LogDebug(
                    "Blocks {From}..{To}: {Events} events fetched in {FetchMs} ms, {Added} new stored in {CommitMs} ms",
                    from, to, range.Events.Count, (long)fetched.TotalMilliseconds, added, (long)(clock.Elapsed - fetched).TotalMilliseconds);
                checkpoint = checkpoint with { LastBlock = to, LastBlockHash = range.ToBlockHash, EventCount = checkpoint.EventCount + added };
                failures = 0;
                if (++successes >= SuccessesBeforeWidening && rangeSize < settings.MaxBlockRange)
                {
                    rangeSize = Math.Min(settings.MaxBlockRange, rangeSize * 2);
                    successes = 0;
                }

                progress.Add(range, added);
                progress.ReportIfDue(to, head, confirmed);
            }
            catch (ReorgDetectedException detected)
            {
                reorg = detected;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not WriterLockLostException)
            {
                if (!writer.HoldsLock)
                {
                    throw new WriterLockLostException(e);
                }

                // Whatever failed (node, database, a conflicting writer), the same range is tried again
                // from the checkpoint as stored, after a growing pause.
                checkpoint = null;
                confirmed = -1;
                var pause = Backoff(++failures);
                logger.LogWarning(
                    "Ingestion paused after failure {Failures}: {Reason}. Retrying in {PauseMs} ms",
                    failures, RpcPipeline.Describe(e), (long)pause.TotalMilliseconds);
                await Task.Delay(pause, cancellationToken);
            }
        }
    }

    /// <summary>Each idle poll, compares the node's block at the checkpoint with the one ingested.</summary>
    /// <exception cref="ReorgDetectedException">They differ.</exception>
    private async Task CheckLastBlockIsCanonicalAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        if (checkpoint.LastBlockHash is null)
        {
            return;
        }

        var details = await chain.GetBlockDetailsAsync([checkpoint.LastBlock], [], cancellationToken);
        // A missing block means a lagging node or a chain that is (for now) shorter: wait rather than guess.
        if (details.Blocks.TryGetValue(checkpoint.LastBlock, out var canonical) && canonical.Hash != checkpoint.LastBlockHash)
        {
            throw new ReorgDetectedException(checkpoint.LastBlock, checkpoint.LastBlockHash, canonical.Hash);
        }
    }

    private static TimeSpan Backoff(int failures)
    {
        var exponential = Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromMilliseconds(exponential * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }
}
