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
    /// The span of a committed unit. Its ranges were fetched ahead, concurrently, before the commit began: their
    /// fetch and decode spans are recorded afterwards with the times measured then, so that they sit under the range they belong to.
    /// </summary>
    public static Activity? StartRange(IReadOnlyList<FetchedRange> unit)
    {
        var started = unit.Min(fetched => fetched.Timing.FetchStarted);
        var activity = Source.StartActivity("range", ActivityKind.Internal, parentContext: default, startTime: started);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("x402.block.from", unit[0].Range.FromBlock);
        activity.SetTag("x402.block.to", unit[^1].Range.ToBlock);
        activity.SetTag("x402.ranges", unit.Count);
        foreach (var fetched in unit)
        {
            Record("fetch", fetched, fetched.Timing.FetchStarted, fetched.Timing.DecodeStarted)?.SetTag("x402.logs", fetched.Logs);
            Record("decode", fetched, fetched.Timing.DecodeStarted, fetched.Timing.DecodeEnded)?
                .SetTag("x402.events", fetched.Range.Events.Count)
                .SetTag("x402.logs.skipped", fetched.Range.SkippedLogs);
        }

        return activity;
    }

    public static void Committed(Activity? range, IngestedRange committed)
    {
        range?.SetTag("x402.events", committed.Events.Count);
        range?.SetTag("x402.logs.skipped", committed.SkippedLogs);
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
