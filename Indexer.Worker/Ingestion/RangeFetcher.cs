using Indexer.Worker.Chain;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Fetches one block range from the node: its logs with the headers of the range's end and of the
/// block before it (one batch, one node), then in a second batch the headers of the blocks holding
/// logs and the senders of the transactions that emitted payments (the settlements' <c>from</c>).
/// </summary>
public sealed class RangeFetcher(IChainClient chain)
{
    /// <exception cref="RangeTooLargeException">The node wants a smaller range.</exception>
    /// <exception cref="ChainDataException">The node lags behind the head it reported, or contradicts itself.</exception>
    public async Task<FetchedRange> FetchAsync(string contractAddress, long fromBlock, long toBlock, CancellationToken cancellationToken)
    {
        var range = await chain.GetRangeLogsAsync(contractAddress, fromBlock, toBlock, cancellationToken);
        var rangeEnd = range.RangeEnd
            ?? throw new ChainDataException($"The node that answered has no block {toBlock} yet: it lags behind the head it reported.");
        if (fromBlock > 0 && range.BeforeRange is null)
        {
            throw new ChainDataException($"The node that answered has no block {fromBlock - 1}: it lags behind.");
        }

        var blockNumbers = new HashSet<long>();
        var payments = new HashSet<TransactionInBlock>();
        foreach (var log in range.Logs)
        {
            blockNumbers.Add(log.BlockNumber);
            if (LogDecoder.IsPayment(log))
            {
                payments.Add(new TransactionInBlock(log.BlockNumber, log.TransactionHash));
            }
        }

        // The range's end came with the logs.
        blockNumbers.Remove(toBlock);
        var details = await chain.GetBlockDetailsAsync(blockNumbers, payments, cancellationToken);
        var blocks = new Dictionary<long, ChainBlock>(details.Blocks) { [toBlock] = rangeEnd };
        var senders = payments
            .Where(payment => details.SenderByTransaction.ContainsKey(payment.Hash))
            .ToDictionary(payment => payment.Hash, payment => details.SenderByTransaction[payment.Hash], StringComparer.Ordinal);

        var decoded = LogDecoder.Decode(range.Logs, blocks, senders);
        var ingested = new IngestedRange(
            fromBlock, toBlock, decoded.Events, decoded.SkippedLogs, blocks.Values.OrderBy(block => block.Number).ToList());
        return new FetchedRange(ingested, range.BeforeRange?.Hash, range.Logs.Count);
    }
}

/// <param name="PreviousBlockHash">The hash of block FromBlock − 1 as the node that answered has it; null for block −1.</param>
/// <param name="Logs">How many logs the node returned, known or not.</param>
public sealed record FetchedRange(IngestedRange Range, string? PreviousBlockHash, int Logs);
