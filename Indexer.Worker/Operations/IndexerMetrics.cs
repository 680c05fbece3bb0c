using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Indexer.Worker.Operations;

/// <summary>
/// The worker's metrics (Meter "X402.Indexer"), scraped at /metrics on METRICS_HOST:METRICS_PORT. Static like the
/// ActivitySource beside it: one worker per process, and the code that measures needs no extra constructor argument.
/// Labels are RPC method names and outcomes only: nothing of RPC_URL or DATABASE_URL. Names are listed in the README, "Metrics".
/// </summary>
public static class IndexerMetrics
{
    public const string MeterName = IndexerTracing.SourceName;

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> EventsIngested = Meter.CreateCounter<long>(
        "x402.indexer.events.ingested", "{event}", "Events committed to the event log.");

    private static readonly Counter<long> LogsSkipped = Meter.CreateCounter<long>(
        "x402.indexer.logs.skipped", "{log}", "Logs of the contract that are none of its five workflow events.");

    private static readonly Histogram<double> FetchDuration = Meter.CreateHistogram<double>(
        "x402.indexer.range.fetch.duration", "s", "Time to fetch and decode one block range from the node.");

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "x402.indexer.range.commit.duration", "s", "Time to commit one unit of ranges in its transaction.");

    private static readonly Counter<long> RpcRequests = Meter.CreateCounter<long>(
        "x402.indexer.rpc.requests", "{request}", "RPC attempts by method and outcome (ok, error, timeout, too_large).");

    private static readonly Histogram<double> RpcDuration = Meter.CreateHistogram<double>(
        "x402.indexer.rpc.duration", "s", "Latency of one RPC attempt, by method.");

    private static readonly Counter<long> RpcRetries = Meter.CreateCounter<long>(
        "x402.indexer.rpc.retries", "{retry}", "RPC attempts retried after a transient failure.");

    private static readonly Counter<long> Reorgs = Meter.CreateCounter<long>(
        "x402.indexer.reorgs", "{reorg}", "Reorganisations repaired.");

    private static readonly Histogram<long> ReorgDepth = Meter.CreateHistogram<long>(
        "x402.indexer.reorg.depth", "{block}", "Blocks rolled back by each repaired reorganisation.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 3, 5, 8, 13, 21, 34, 64, 128] });

    private static long chainHead = -1;
    private static long confirmedHead = -1;
    private static long lastIndexedBlock = -1;
    private static long caughtUpAt = Stopwatch.GetTimestamp();
    private static long replayDone;
    private static long replayTotal;
    private static int circuitState;
    private static int isWriter;
    private static long proofAt;

    static IndexerMetrics()
    {
        Meter.CreateObservableGauge("x402.indexer.chain.head", () => Known(chainHead), "{block}", "The node's latest block number.");
        Meter.CreateObservableGauge("x402.indexer.confirmed.head", () => Known(confirmedHead), "{block}", "Chain head minus CONFIRMATION_BLOCKS.");
        Meter.CreateObservableGauge("x402.indexer.last_indexed.block", () => Known(lastIndexedBlock), "{block}", "The checkpoint: last block committed.");
        Meter.CreateObservableGauge("x402.indexer.lag.blocks", LagBlocks, "{block}", "Confirmed head minus last indexed block (as /status's lagBlocks).");
        Meter.CreateObservableGauge("x402.indexer.lag", LagSeconds, "s", "Seconds since the worker was last caught up with the confirmed head; 0 while it is.");
        Meter.CreateObservableGauge("x402.indexer.replay.events.folded", () => Interlocked.Read(ref replayDone), "{event}", "Events folded so far by the replay in progress, or by the last one.");
        Meter.CreateObservableGauge("x402.indexer.replay.events.expected", () => Interlocked.Read(ref replayTotal), "{event}", "Events the replay in progress (or the last one) folds in all.");
        Meter.CreateObservableGauge("x402.indexer.rpc.circuit.state", () => Volatile.Read(ref circuitState), "{state}", "RPC circuit breaker: 0 closed, 1 half-open, 2 open.");
        Meter.CreateObservableGauge("x402.indexer.writer", () => Volatile.Read(ref isWriter), "{writer}", "1 while this worker holds the writer lock, 0 while it stands by.");
        Meter.CreateObservableGauge("x402.indexer.proof.age", ProofAge, "s", "Seconds since this worker last stored the determinism proof.");
    }

    public static void ChainSeen(long head, long confirmed)
    {
        Volatile.Write(ref chainHead, head);
        Volatile.Write(ref confirmedHead, confirmed);
        MarkCaughtUpIfSo();
    }

    public static void Indexed(long lastBlock)
    {
        Volatile.Write(ref lastIndexedBlock, lastBlock);
        MarkCaughtUpIfSo();
    }

    public static void Committed(int events, int skippedLogs, TimeSpan commitDuration)
    {
        EventsIngested.Add(events);
        LogsSkipped.Add(skippedLogs);
        CommitDuration.Record(commitDuration.TotalSeconds);
    }

    public static void Fetched(TimeSpan duration) => FetchDuration.Record(duration.TotalSeconds);

    public static void RpcAttempt(string method, string outcome, TimeSpan duration)
    {
        var methodTag = new KeyValuePair<string, object?>("method", method);
        RpcRequests.Add(1, methodTag, new KeyValuePair<string, object?>("outcome", outcome));
        RpcDuration.Record(duration.TotalSeconds, methodTag);
    }

    public static void RpcRetry() => RpcRetries.Add(1);

    public static void Circuit(int state) => Volatile.Write(ref circuitState, state);

    public static void Reorg(int depth)
    {
        Reorgs.Add(1);
        ReorgDepth.Record(depth);
    }

    public static void Replay(long done, long total)
    {
        Interlocked.Exchange(ref replayDone, done);
        Interlocked.Exchange(ref replayTotal, total);
    }

    public static void Role(bool writer) => Volatile.Write(ref isWriter, writer ? 1 : 0);

    public static void ProofStored() => Volatile.Write(ref proofAt, Stopwatch.GetTimestamp());

    private static IEnumerable<Measurement<long>> Known(long value) => value >= 0 ? [new Measurement<long>(value)] : [];

    private static IEnumerable<Measurement<long>> LagBlocks() =>
        Volatile.Read(ref lastIndexedBlock) is var last and >= 0 && Volatile.Read(ref confirmedHead) is var confirmed and >= 0
            ? [new Measurement<long>(Math.Max(0, confirmed - last))]
            : [];

    private static double LagSeconds() =>
        Volatile.Read(ref lastIndexedBlock) >= Volatile.Read(ref confirmedHead) ? 0 : Stopwatch.GetElapsedTime(Volatile.Read(ref caughtUpAt)).TotalSeconds;

    private static IEnumerable<Measurement<double>> ProofAge() =>
        Volatile.Read(ref proofAt) is var at and not 0 ? [new Measurement<double>(Stopwatch.GetElapsedTime(at).TotalSeconds)] : [];

    private static void MarkCaughtUpIfSo()
    {
        if (Volatile.Read(ref lastIndexedBlock) >= Volatile.Read(ref confirmedHead))
        {
            Volatile.Write(ref caughtUpAt, Stopwatch.GetTimestamp());
        }
    }
}
