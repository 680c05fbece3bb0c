namespace Indexer.Worker.Chain;

/// <summary>The node, as the worker needs it. Every call is retried behind it; an exception means the retries ran out.</summary>
public interface IChainClient
{
    Task<long> GetChainIdAsync(CancellationToken cancellationToken);

    Task<long> GetHeadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The contract's logs in a range together with the headers of the range's last block and of the
    /// block before the range, in ONE batch request: all three answers come from the same node, so a
    /// lagging node behind a load balancer cannot pass off its empty logs as the range's.
    /// </summary>
    /// <exception cref="RangeTooLargeException">The node refuses the range as too wide or its result as too large.</exception>
    Task<RangeLogs> GetRangeLogsAsync(string contractAddress, long fromBlock, long toBlock, CancellationToken cancellationToken);

    /// <summary>
    /// Block headers, and the senders of transactions read from their receipts or from the transactions
    /// themselves, in as few batch requests as the node allows. A block or transaction the node does not
    /// know is absent from the result.
    /// </summary>
    Task<BlockDetails> GetBlockDetailsAsync(
        IReadOnlyCollection<long> blockNumbers,
        IReadOnlyCollection<string> sendersFromReceipts,
        IReadOnlyCollection<string> sendersFromTransactions,
        CancellationToken cancellationToken);
}

public sealed record ChainBlock(long Number, string Hash, string ParentHash, long Timestamp);

/// <param name="RangeEnd">Null when the node that answered has no such block yet.</param>
/// <param name="BeforeRange">The header of the block before the range (the last one ingested); null for block −1.</param>
public sealed record RangeLogs(IReadOnlyList<RawLog> Logs, ChainBlock? RangeEnd, ChainBlock? BeforeRange);

/// <param name="SenderByTransaction">Lowercase transaction hash to lowercase sender address.</param>
public sealed record BlockDetails(IReadOnlyDictionary<long, ChainBlock> Blocks, IReadOnlyDictionary<string, string> SenderByTransaction);

/// <summary>The node will not answer eth_getLogs for this range; a smaller one may work.</summary>
public sealed class RangeTooLargeException(long fromBlock, long toBlock, string reason)
    : Exception($"The node refused eth_getLogs for blocks {fromBlock}..{toBlock}: {reason}");

/// <summary>The node answered, but not with what was asked (a missing block, a malformed reply).</summary>
public sealed class ChainDataException(string message) : Exception(message);
