using System.Runtime.InteropServices;
using Indexer.Worker.Chain;
using Indexer.Worker.Operations;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Fetches one block range from the node: its logs with the headers of the range's end and of the
/// block before it (one batch, one node), then in a second batch the headers of the blocks holding
/// logs and the senders of the transactions that emitted payments (the settlements' <c>from</c>).
/// </summary>
public sealed class RangeFetcher(IChainClient chain)
{
    /// <summary>
    /// A receipt repeats every log of its transaction, so the sender of a transaction that emitted more
    /// logs than this (a batch) is cheaper to read from the transaction itself. Measured on anvil: 4,294
    /// payments each in its own transaction, senders by receipt 0.23 s and 7.3 MB, by transaction
    /// 0.95 s and 3.8 MB (by the blocks' receipts, 1.01 s and 40.8 MB); 362 batches of ~70 logs, by
    /// receipt 0.11 s and 11.1 MB, by transaction 0.09 s and 3.7 MB.
    /// </summary>
    internal const int MaxLogsForReceipt = 32;

    /// <exception cref="RangeTooLargeException">The node wants a smaller range.</exception>
    /// <exception cref="ChainDataException">The node lags behind the head it reported, or contradicts itself.</exception>
    public async Task<FetchedRange> FetchAsync(string contractAddress, long fromBlock, long toBlock, CancellationToken cancellationToken)
    {
        var fetchStarted = DateTimeOffset.UtcNow;
        var range = await chain.GetRangeLogsAsync(contractAddress, fromBlock, toBlock, cancellationToken);
        var rangeEnd = range.RangeEnd
            ?? throw new ChainDataException($"The node that answered has no block {toBlock} yet: it lags behind the head it reported.");
        if (fromBlock > 0 && range.BeforeRange is null)
        {
            throw new ChainDataException($"The node that answered has no block {fromBlock - 1}: it lags behind.");
        }

        var blockNumbers = new HashSet<long>();
        var logsByTransaction = new Dictionary<string, int>(StringComparer.Ordinal);
        var payments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var log in range.Logs)
        {
            blockNumbers.Add(log.BlockNumber);
            CollectionsMarshal.GetValueRefOrAddDefault(logsByTransaction, log.TransactionHash, out _)++;
            if (LogDecoder.IsPayment(log))
            {
                payments.Add(log.TransactionHash);
            }
        }

        // The range's end came with the logs.
        blockNumbers.Remove(toBlock);
        var fromReceipt = payments.ToLookup(hash => logsByTransaction[hash] <= MaxLogsForReceipt);
        var details = await chain.GetBlockDetailsAsync(blockNumbers, [.. fromReceipt[true]], [.. fromReceipt[false]], cancellationToken);
        var blocks = new Dictionary<long, ChainBlock>(details.Blocks) { [toBlock] = rangeEnd };

        var decodeStarted = DateTimeOffset.UtcNow;
        var decoded = LogDecoder.Decode(range.Logs, blocks, details.SenderByTransaction);
        var ingested = new IngestedRange(
            fromBlock, toBlock, decoded.Events, decoded.SkippedLogs, blocks.Values.OrderBy(block => block.Number).ToList());
        var timing = new FetchTiming(fetchStarted, decodeStarted, DateTimeOffset.UtcNow);
        IndexerMetrics.Fetched(timing.DecodeEnded - timing.FetchStarted);
        return new FetchedRange(ingested, range.BeforeRange?.Hash, range.Logs.Count, timing);
    }
}

/// <param name="PreviousBlockHash">The hash of block FromBlock − 1 as the node that answered has it; null for block −1.</param>
/// <param name="Logs">How many logs the node returned, known or not.</param>
/// <param name="Timing">When it was fetched and decoded, for the range's span.</param>
public sealed record FetchedRange(IngestedRange Range, string? PreviousBlockHash, int Logs, FetchTiming Timing);

/// <summary>Fetching ran from FetchStarted to DecodeStarted, decoding from there to DecodeEnded.</summary>
public sealed record FetchTiming(DateTimeOffset FetchStarted, DateTimeOffset DecodeStarted, DateTimeOffset DecodeEnded);
