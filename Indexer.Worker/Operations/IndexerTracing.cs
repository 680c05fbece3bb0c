using System.Diagnostics;
using Indexer.Worker.Ingestion;

namespace Indexer.Worker.Operations;

/// <summary>
/// The worker's spans (ActivitySource "X402.Indexer"), exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set:
/// one per committed range with its fetch, decode and commit as children, one per reorg repair, one per replay.
/// Tags are block numbers and counts only: nothing of RPC_URL or DATABASE_URL.
/// </summary>
public static class IndexerTracing
{
    public const string SourceName = "X402.Indexer";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// The span of a committed unit, from the moment its first range began to be fetched. Its ranges were fetched
    /// ahead, concurrently: their fetch and decode spans are recorded as each range joins the unit (<see cref="Fetched"/>),
    /// with the times measured then, so that they sit under the unit they belong to.
    /// </summary>
    public static Activity? StartUnit(FetchedRange first)
    {
        var activity = Source.StartActivity("range", ActivityKind.Internal, parentContext: default, startTime: first.Timing.FetchStarted);
        activity?.SetTag("x402.block.from", first.Range.FromBlock);
        return activity;
    }

    /// <summary>Records a range's fetch and decode under the current unit's span.</summary>
    public static void Fetched(FetchedRange fetched)
    {
        Record("fetch", fetched, fetched.Timing.FetchStarted, fetched.Timing.DecodeStarted)?.SetTag("x402.logs", fetched.Logs);
        Record("decode", fetched, fetched.Timing.DecodeStarted, fetched.Timing.DecodeEnded)?
            .SetTag("x402.events", fetched.Range.Events.Count)
            .SetTag("x402.logs.skipped", fetched.Range.SkippedLogs);
    }

    public static void Committed(Activity? unit, CommittedUnit committed)
    {
        unit?.SetTag("x402.block.to", committed.ToBlock);
        unit?.SetTag("x402.ranges", committed.Ranges);
        unit?.SetTag("x402.events", committed.Events);
        unit?.SetTag("x402.logs.skipped", committed.SkippedLogs);
    }

    private static Activity? Record(string name, FetchedRange fetched, DateTimeOffset start, DateTimeOffset end)
    {
        using var activity = Source.StartActivity(name, ActivityKind.Internal, parentContext: default, startTime: start);
        activity?.SetTag("x402.block.from", fetched.Range.FromBlock);
        activity?.SetTag("x402.block.to", fetched.Range.ToBlock);
        activity?.SetEndTime(end.UtcDateTime);
        return activity;
    }
}
