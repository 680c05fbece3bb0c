using Indexer.Worker.Chain;
using Indexer.Worker.Reorgs;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Fetches one block range from the node: its logs with the headers of the range's end and of the
/// block before it (one batch, one node), then in a second batch the headers of the blocks holding
/// logs and the sender of each transaction that emitted a payment.
/// </summary>
public sealed class RangeFetcher(IChainClient chain)
{
    /// <param name="lastIngestedHash">The stored hash of block fromBlock − 1; null when nothing was ingested yet.</param>
    /// <exception cref="RangeTooLargeException">The node wants a smaller range.</exception>
    /// <exception cref="ReorgDetectedException">Block fromBlock − 1 is no longer the block ingested: the chain reorganised under us.</exception>
    /// <exception cref="ChainDataException">The node lags behind the head it reported, or contradicts itself.</exception>
    public async Task<IngestedRange> FetchAsync(
        string contractAddress, long fromBlock, long toBlock, string? lastIngestedHash, CancellationToken cancellationToken)
    {
        var range = await chain.GetRangeLogsAsync(contractAddress, fromBlock, toBlock, cancellationToken);
        var rangeEnd = range.RangeEnd
            ?? throw new ChainDataException($"The node that answered has no block {toBlock} yet: it lags behind the head it reported.");
        if (lastIngestedHash is not null && range.BeforeRange?.Hash != lastIngestedHash)
        {
            throw range.BeforeRange is null
                ? new ChainDataException($"The node that answered has no block {fromBlock - 1}: it lags behind.")
                : new ReorgDetectedException(fromBlock - 1, lastIngestedHash, range.BeforeRange.Hash);
        }

        var blockNumbers = range.Logs
            .Select(log => (long)log.BlockNumber.Value)
            .Where(number => number != toBlock)
            .Distinct()
            .ToList();
        var paymentTransactions = range.Logs
            .Where(LogDecoder.IsPayment)
            .Select(log => log.TransactionHash.ToLowerInvariant())
            .Distinct()
            .ToList();
        var details = await chain.GetBlockDetailsAsync(blockNumbers, paymentTransactions, cancellationToken);
        var blocks = new Dictionary<long, ChainBlock>(details.Blocks) { [toBlock] = rangeEnd };

        var decoded = LogDecoder.Decode(range.Logs, blocks, details.SenderByTransaction);
        return new IngestedRange(fromBlock, toBlock, decoded.Events, decoded.SkippedLogs, blocks.Values.OrderBy(block => block.Number).ToList());
    }
}
