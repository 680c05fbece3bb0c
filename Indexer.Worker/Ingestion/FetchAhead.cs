using Indexer.Worker.Chain;
using Indexer.Worker.EventLog;
using Microsoft.Extensions.Logging;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Fetches consecutive ranges ahead of the committer, several at once, encodes their events as
/// event-log rows, and hands them over in block order: while one range commits, the next ones are already on their way from the node.
/// At most <c>depth</c> ranges are fetched or waiting at any time, which bounds memory. A range the
/// node refuses (too wide, too large an answer, no answer in time) is split in halves and fetched
/// again, and the sizer learns from it; until a first answer came back, one range is fetched alone; any other failure surfaces when its range is taken.
/// Disposing it cancels what is still in flight.
/// </summary>
internal sealed class FetchAhead : IAsyncDisposable
{
    private readonly RangeFetcher fetcher;
    private readonly RangeSizer sizer;
    private readonly long chainId;
    private readonly string contractAddress;
    private readonly int depth;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop;
    private readonly Queue<Task<IReadOnlyList<FetchedRange>>> inFlight = new();
    private long nextFrom;
    private long lastBlock;

    public FetchAhead(
        RangeFetcher fetcher,
        RangeSizer sizer,
        long chainId,
        string contractAddress,
        long fromBlock,
        int depth,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        this.chainId = chainId;
        this.fetcher = fetcher;
        this.sizer = sizer;
        this.contractAddress = contractAddress;
        this.depth = depth;
        this.logger = logger;
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        nextFrom = fromBlock;
        lastBlock = fromBlock - 1;
    }

    /// <summary>Lets it fetch up to <paramref name="block"/> (the confirmed head), starting at once what it may.</summary>
    public void ExtendTo(long block)
    {
        lastBlock = Math.Max(lastBlock, block);
        Dispatch();
    }

    /// <summary>The next fetched ranges in block order (more than one when a range was split), or null once all up to the confirmed head were handed over.</summary>
    public async Task<IReadOnlyList<FetchedRange>?> NextAsync()
    {
        Dispatch();
        if (inFlight.Count == 0)
        {
            return null;
        }

        var ranges = await inFlight.Dequeue();
        Dispatch();
        return ranges;
    }

    /// <summary>The next ranges if they are already fetched, without waiting for them.</summary>
    public bool TryTakeFetched(out IReadOnlyList<FetchedRange> ranges)
    {
        if (inFlight.TryPeek(out var next) && next.IsCompletedSuccessfully)
        {
            ranges = inFlight.Dequeue().Result;
            Dispatch();
            return true;
        }

        ranges = [];
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        foreach (var pending in inFlight)
        {
            try
            {
                await pending;
            }
            catch (Exception)
            {
                // Cancelled or failed: either way no longer wanted.
            }
        }

        stop.Dispose();
    }

    private void Dispatch()
    {
        // One range alone until the node has answered once: the first answer tells how dense the chain is.
        var allowed = sizer.HasAnswered ? depth : 1;
        while (inFlight.Count < allowed && nextFrom <= lastBlock)
        {
            var from = nextFrom;
            var to = Math.Min(lastBlock, from + sizer.NextSize - 1);
            nextFrom = to + 1;
            inFlight.Enqueue(Task.Run(() => FetchSplittingAsync(from, to, stop.Token), stop.Token));
        }
    }

    private async Task<IReadOnlyList<FetchedRange>> FetchSplittingAsync(long from, long to, CancellationToken cancellationToken)
    {
        try
        {
            var fetched = await fetcher.FetchAsync(contractAddress, from, to, cancellationToken);
            sizer.Answered(to - from + 1, fetched.Logs);
            var range = fetched.Range with { EncodedEvents = ChainEventStore.Encode(fetched.Range.Events, chainId, contractAddress) };
            return [fetched with { Range = range }];
        }
        catch (RangeTooLargeException e) when (to > from)
        {
            sizer.Refused(to - from + 1);
            var middle = from + ((to - from + 1) / 2) - 1;
            logger.LogInformation("{Reason}; trying {RangeSize} blocks at a time", e.Message, middle - from + 1);
            var first = await FetchSplittingAsync(from, middle, cancellationToken);
            var second = await FetchSplittingAsync(middle + 1, to, cancellationToken);
            return [.. first, .. second];
        }
    }
}
