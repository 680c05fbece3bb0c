using Indexer.Worker.Chain;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Fetches one block range from the node: its logs, then in one batch what the logs lack: the
/// range's last block (its hash goes into the checkpoint), the blocks of logs that carry no
/// timestamp, and the sender of each transaction that emitted a payment.
/// </summary>
public sealed class RangeFetcher(IChainClient chain)
{
    /// <exception cref="RangeTooLargeException">The node wants a smaller range.</exception>
    public async Task<IngestedRange> FetchAsync(string contractAddress, long fromBlock, long toBlock, CancellationToken cancellationToken)
    {
        var logs = await chain.GetLogsAsync(contractAddress, fromBlock, toBlock, cancellationToken);

        var blockNumbers = logs
            .Where(log => log.BlockTimestamp is null)
            .Select(log => (long)log.BlockNumber.Value)
            .Append(toBlock)
            .Distinct()
            .ToList();
        var paymentTransactions = logs
            .Where(LogDecoder.IsPayment)
            .Select(log => log.TransactionHash.ToLowerInvariant())
            .Distinct()
            .ToList();
        var details = await chain.GetBlockDetailsAsync(blockNumbers, paymentTransactions, cancellationToken);

        var decoded = LogDecoder.Decode(logs, details);
        var lastBlock = details.Blocks.GetValueOrDefault(toBlock)
            ?? throw new ChainDataException($"The node did not return block {toBlock}.");
        return new IngestedRange(fromBlock, toBlock, lastBlock.Hash, decoded.Events, decoded.SkippedLogs);
    }
}
