using System.Diagnostics;
using Indexer.Worker.Chain;
using Indexer.Worker.Configuration;
using Indexer.Worker.EventLog;
using Indexer.Worker.Operations;
using Indexer.Worker.Reorgs;
using Indexer.Worker.SingleWriter;
using Indexer.Worker.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Backfills from the checkpoint and then follows the chain: confirmed ranges only (never above
/// head − CONFIRMATION_BLOCKS), fetched several at a time ahead of the commits (<see cref="FetchAhead"/>)
/// and committed strictly in block order, each in its own transaction; the log is repaired when
/// the chain reorganised below the checkpoint, and on any other failure the worker backs off and
/// starts again from the checkpoint as stored. A range is never skipped.
/// </summary>
public sealed class ChainFollower(
    IChainClient chain,
    RangeFetcher fetcher,
    ReorgRepair reorgs,
    StatusStore status,
    IOptions<WorkerOptions> options,
    ILogger<ChainFollower> logger)
{
    private readonly WorkerOptions settings = options.Value;

    /// <summary>Runs until cancelled.</summary>
    /// <exception cref="WriterLockLostException">The writer lock is gone: stop writing and stand by.</exception>
    public async Task FollowAsync(WriterSession writer, CancellationToken cancellationToken)
    {
        var progress = new IngestionProgress(logger, TimeSpan.FromMilliseconds(settings.ProgressLogIntervalMs));
        var pollInterval = TimeSpan.FromMilliseconds(settings.PollIntervalMs);
        var sizer = new RangeSizer(settings.MaxBlockRange, settings.MaxLogsPerRequest);
        var failures = 0;
        ReorgDetectedException? reorg = null;

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var checkpoint = await CheckpointStore.GetAsync(writer.Connection)
                    ?? throw new CheckpointConflictException("The checkpoint row is missing; was the database reset under a running worker?");
                IndexerMetrics.Indexed(checkpoint.LastBlock);
                if (reorg is not null)
                {
                    await reorgs.RepairAsync(writer.Connection, checkpoint, reorg, cancellationToken);
                    reorg = null;
                    continue;
                }

                await using var ahead = new FetchAhead(
                    fetcher, sizer, settings.ChainId, settings.NormalizedContractAddress, checkpoint.LastBlock + 1, settings.RpcConcurrency, logger, cancellationToken);
                while (!cancellationToken.IsCancellationRequested)
                {
                    var head = await chain.GetHeadAsync(cancellationToken);
                    var confirmed = head - settings.ConfirmationBlocks;
                    await status.ChainAsync(head, confirmed, cancellationToken);
                    IndexerMetrics.ChainSeen(head, confirmed);
                    ahead.ExtendTo(confirmed);

                    var committed = false;
                    var clock = Stopwatch.StartNew();
                    while (await ahead.NextAsync() is { } next)
                    {
                        // Ranges that arrived while the last unit committed go into one transaction together.
                        var waited = clock.Elapsed;
                        var unit = new List<FetchedRange>(next);
                        while (ahead.TryTakeFetched(out var fetched))
                        {
                            unit.AddRange(fetched);
                        }

                        var committedRange = await CommitAsync(writer, checkpoint, unit, cancellationToken);
                        checkpoint = checkpoint with
                        {
                            LastBlock = committedRange.ToBlock,
                            LastBlockHash = committedRange.ToBlockHash,
                            EventCount = checkpoint.EventCount + committedRange.Events.Count,
                        };
                        progress.Add(committedRange);
                        IndexerMetrics.Indexed(checkpoint.LastBlock);
                        logger.LogDebug(
                            "Blocks {From}..{To}: {Events} events of {Ranges} range(s), waited {WaitMs} ms for them, committed in {CommitMs} ms",
                            committedRange.FromBlock, committedRange.ToBlock, committedRange.Events.Count, unit.Count,
                            (long)waited.TotalMilliseconds, (long)(clock.Elapsed - waited).TotalMilliseconds);
                        clock.Restart();
                        committed = true;
                        failures = 0;
                        progress.ReportIfDue(checkpoint.LastBlock, head, confirmed);
                    }

                    if (!committed)
                    {
                        await CheckLastBlockIsCanonicalAsync(checkpoint, cancellationToken);
                        await writer.EnsureLockAsync(cancellationToken);
                        progress.ReportIfDue(checkpoint.LastBlock, head, confirmed);
                        await Task.Delay(pollInterval, cancellationToken);
                    }
                }
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
                var pause = Backoff(++failures);
                logger.LogWarning(
                    "Ingestion paused after failure {Failures}: {Reason}. Retrying in {PauseMs} ms",
                    failures, RpcPipeline.Describe(e), (long)pause.TotalMilliseconds);
                await Task.Delay(pause, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Stores consecutive fetched ranges on top of the checkpoint in one transaction, provided the
    /// node's chain runs through the checkpoint and from each range into the next.
    /// </summary>
    /// <returns>What was stored, as one range.</returns>
    /// <exception cref="ReorgDetectedException">The block before a range is no longer the block stored (or fetched) before it.</exception>
    /// <exception cref="ChainDataException">The node that answered lacks that block: it lags behind.</exception>
    private async Task<IngestedRange> CommitAsync(
        WriterSession writer, Checkpoint checkpoint, IReadOnlyList<FetchedRange> unit, CancellationToken cancellationToken)
    {
        var (lastBlock, lastHash) = (checkpoint.LastBlock, checkpoint.LastBlockHash);
        foreach (var fetched in unit)
        {
            if (fetched.Range.FromBlock != lastBlock + 1)
            {
                throw new CheckpointConflictException($"Range {fetched.Range.FromBlock}..{fetched.Range.ToBlock} does not follow block {lastBlock}.");
            }

            if (lastHash is not null && fetched.PreviousBlockHash != lastHash)
            {
                throw fetched.PreviousBlockHash is null
                    ? new ChainDataException($"The node that answered has no block {lastBlock}: it lags behind.")
                    : new ReorgDetectedException(lastBlock, lastHash, fetched.PreviousBlockHash);
            }

            (lastBlock, lastHash) = (fetched.Range.ToBlock, fetched.Range.ToBlockHash);
        }

        var range = IngestedRange.Concat(unit.Select(fetched => fetched.Range).ToList());
        using var span = IndexerTracing.StartRange(unit);
        var started = Stopwatch.GetTimestamp();
        using (IndexerTracing.Source.StartActivity("commit"))
        {
            await RangeCommitter.CommitAsync(writer.Connection, range, settings.ChainId, settings.NormalizedContractAddress, cancellationToken);
        }

        IndexerMetrics.Committed(range.Events.Count, range.SkippedLogs, Stopwatch.GetElapsedTime(started));
        IndexerTracing.Committed(span, range);
        return range;
    }

    /// <summary>Each idle poll, compares the node's block at the checkpoint with the one ingested.</summary>
    /// <exception cref="ReorgDetectedException">They differ.</exception>
    private async Task CheckLastBlockIsCanonicalAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        if (checkpoint.LastBlockHash is null)
        {
            return;
        }

        var details = await chain.GetBlockDetailsAsync([checkpoint.LastBlock], [], [], cancellationToken);
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
