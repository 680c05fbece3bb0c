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
    /// <summary>
    /// Where a transaction stops taking more ranges. The more ranges a unit spans, the fewer times a workflow's
    /// row is written (on the 100k-event dense chain, 25-27 us an event stored in units of ~52,000 events,
    /// 28-30 us in units of ~17,500); what waits for its commit is one folded state a workflow, at most this many events' worth.
    /// </summary>
    private const int EventsPerTransaction = 50_000;

    private readonly WorkerOptions settings = options.Value;

    /// <summary>Runs until cancelled.</summary>
    /// <exception cref="WriterLockLostException">The writer lock is gone: stop writing and stand by.</exception>
    public async Task FollowAsync(WriterSession writer, CancellationToken cancellationToken)
    {
        var progress = new IngestionProgress(logger, TimeSpan.FromMilliseconds(settings.ProgressLogIntervalMs));
        var pollInterval = TimeSpan.FromMilliseconds(settings.PollIntervalMs);
        var sizer = new RangeSizer(settings.MaxBlockRange, settings.MaxLogsPerRequest);
        ReorgDetectedException? reorg = null;
        // Whatever failed (node, database, a conflicting writer), the same range is tried again from the checkpoint
        // as stored, after a growing pause; a writer that lost its lock stops writing instead.
        var fromTheCheckpoint = new RetryUntilStopped(
            first: TimeSpan.FromMilliseconds(250),
            ceiling: TimeSpan.FromSeconds(30),
            jitter: 0.25,
            retries: e => !cancellationToken.IsCancellationRequested && e is not WriterLockLostException,
            onRetry: (e, failures, pause) =>
            {
                if (!writer.HoldsLock)
                {
                    throw new WriterLockLostException(e);
                }

                logger.LogWarning(
                    "Ingestion paused after failure {Failures}: {Reason}. Retrying in {PauseMs} ms",
                    failures, RpcPipeline.Describe(e), (long)pause.TotalMilliseconds);
                return ValueTask.CompletedTask;
            });

        await fromTheCheckpoint.ExecuteAsync(
            async token =>
            {
                while (!token.IsCancellationRequested)
                {
                    try
                    {
                        await FollowFromTheCheckpointAsync(token);
                    }
                    catch (ReorgDetectedException detected)
                    {
                        reorg = detected;
                    }
                }
            },
            cancellationToken);

        async Task FollowFromTheCheckpointAsync(CancellationToken token)
        {
            var checkpoint = await CheckpointStore.GetAsync(writer.Connection)
                ?? throw new CheckpointConflictException("The checkpoint row is missing; was the database reset under a running worker?");
            IndexerMetrics.Indexed(checkpoint.LastBlock);
            if (reorg is not null)
            {
                await reorgs.RepairAsync(writer.Connection, checkpoint, reorg, token);
                reorg = null;
                return;
            }

            await using var ahead = new FetchAhead(
                fetcher, sizer, settings.ChainId, settings.NormalizedContractAddress, checkpoint.LastBlock + 1, settings.RpcConcurrency, logger, token);
            while (!token.IsCancellationRequested)
            {
                var head = await chain.GetHeadAsync(token);
                var confirmed = head - settings.ConfirmationBlocks;
                // The new blocks are on their way from the node while the status is written.
                ahead.ExtendTo(confirmed);
                await status.ChainAsync(head, confirmed, token);
                IndexerMetrics.ChainSeen(head, confirmed);

                var committed = false;
                var clock = Stopwatch.StartNew();
                while (await ahead.NextAsync() is { } next)
                {
                    var waited = clock.Elapsed;
                    var unit = await CommitAsync(writer, checkpoint, next, ahead, token);
                    checkpoint = checkpoint with
                    {
                        LastBlock = unit.ToBlock,
                        LastBlockHash = unit.ToBlockHash,
                        EventCount = checkpoint.EventCount + unit.Events,
                    };
                    progress.Add(unit);
                    IndexerMetrics.Indexed(checkpoint.LastBlock);
                    logger.LogDebug(
                        "Blocks {From}..{To}: {Events} events of {Ranges} range(s), waited {WaitMs} ms for the first, stored and committed in {CommitMs} ms",
                        unit.FromBlock, unit.ToBlock, unit.Events, unit.Ranges,
                        (long)waited.TotalMilliseconds, (long)(clock.Elapsed - waited).TotalMilliseconds);
                    clock.Restart();
                    committed = true;
                    fromTheCheckpoint.Progressed();
                    progress.ReportIfDue(checkpoint.LastBlock, head, confirmed);
                }

                if (!committed)
                {
                    await CheckLastBlockIsCanonicalAsync(checkpoint, token);
                    await writer.EnsureLockAsync(token);
                    progress.ReportIfDue(checkpoint.LastBlock, head, confirmed);
                    await Task.Delay(pollInterval, token);
                }
            }
        }
    }

    /// <summary>
    /// Stores <paramref name="first"/> and the ranges that follow it on top of the checkpoint in one
    /// transaction, provided the node's chain runs through the checkpoint and from each range into the next.
    /// While catching up, the transaction takes every range fetched ahead, up to <see cref="EventsPerTransaction"/>.
    /// </summary>
    /// <returns>What was stored.</returns>
    /// <exception cref="ReorgDetectedException">The block before a range is no longer the block stored (or fetched) before it.</exception>
    /// <exception cref="ChainDataException">The node that answered lacks that block: it lags behind.</exception>
    private async Task<CommittedUnit> CommitAsync(
        WriterSession writer, Checkpoint checkpoint, IReadOnlyList<FetchedRange> first, FetchAhead ahead, CancellationToken cancellationToken)
    {
        using var span = IndexerTracing.StartUnit(first[0]);
        var started = Stopwatch.GetTimestamp();
        await using var unit = await RangeCommitter.BeginAsync(writer.Connection, settings.ChainId, settings.NormalizedContractAddress, cancellationToken);
        var (lastBlock, lastHash) = (checkpoint.LastBlock, checkpoint.LastBlockHash);
        var ranges = first;
        do
        {
            foreach (var fetched in ranges)
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

                IndexerTracing.Fetched(fetched);
                await unit.AppendAsync(fetched.Range, cancellationToken);
                (lastBlock, lastHash) = (fetched.Range.ToBlock, fetched.Range.ToBlockHash);
            }
        }
        while (unit.Events < EventsPerTransaction && ahead.TryTakeFetched(out ranges));

        CommittedUnit committed;
        using (IndexerTracing.Source.StartActivity("commit"))
        {
            committed = await unit.CommitAsync(cancellationToken);
        }

        IndexerMetrics.Committed(committed.Events, committed.SkippedLogs, Stopwatch.GetElapsedTime(started));
        IndexerTracing.Committed(span, committed);
        return committed;
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
}
