using Indexer.Worker.Chain;

namespace Indexer.Worker.Ingestion;

/// <summary>Fetches one block range from the node: its logs, then the blocks they sit in, in one batch.</summary>
public sealed class RangeFetcher(IChainClient chain)
{
    /// <exception cref="RangeTooLargeException">The node wants a smaller range.</exception>
    public async Task<IngestedRange> FetchAsync(string contractAddress, long fromBlock, long toBlock, CancellationToken cancellationToken)
    {
        var logs = await chain.GetLogsAsync(contractAddress, fromBlock, toBlock, cancellationToken);

        // The range's last block is fetched even without logs: its hash goes into the checkpoint.
        var blockNumbers = logs.Select(log => (long)log.BlockNumber.Value).Append(toBlock).Distinct().ToList();
        var blocks = await chain.GetBlocksAsync(blockNumbers, cancellationToken);
        var decoded = LogDecoder.Decode(logs, blocks);
        var lastBlock = blocks.GetValueOrDefault(toBlock)
            ?? throw new ChainDataException($"The node did not return block {toBlock}.");
        return new IngestedRange(fromBlock, toBlock, lastBlock.Hash, decoded.Events, decoded.SkippedLogs);
    }
}
