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
    private const int MinPaymentsForReceipts = 8;

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
        var payments = new HashSet<TransactionInBlock>();
        var contractTransactions = new HashSet<TransactionInBlock>();
        foreach (var log in range.Logs)
        {
            blockNumbers.Add(log.BlockNumber);
            contractTransactions.Add(new TransactionInBlock(log.BlockNumber, log.TransactionHash));
            if (LogDecoder.IsPayment(log))
            {
                payments.Add(new TransactionInBlock(log.BlockNumber, log.TransactionHash));
            }
        }

        // The range's end came with the logs.
        blockNumbers.Remove(toBlock);
        var byReceipts = ReceiptsPay(payments, contractTransactions);
        var details = await chain.GetBlockDetailsAsync(blockNumbers, payments, byReceipts, cancellationToken);
        var blocks = new Dictionary<long, ChainBlock>(details.Blocks) { [toBlock] = rangeEnd };
        var senders = payments
            .Where(payment => details.SenderByTransaction.ContainsKey(payment.Hash))
            .ToDictionary(payment => payment.Hash, payment => details.SenderByTransaction[payment.Hash], StringComparer.Ordinal);

        var decodeStarted = DateTimeOffset.UtcNow;
        var decoded = LogDecoder.Decode(range.Logs, blocks, senders);
        var ingested = new IngestedRange(
            fromBlock, toBlock, decoded.Events, decoded.SkippedLogs, blocks.Values.OrderBy(block => block.Number).ToList());
        var timing = new FetchTiming(fetchStarted, decodeStarted, DateTimeOffset.UtcNow);
        IndexerMetrics.Fetched(timing.DecodeEnded - timing.FetchStarted);
        return new FetchedRange(ingested, range.BeforeRange?.Hash, range.Logs.Count, timing);
    }

    /// <summary>
    /// The blocks whose payment senders are cheaper to read from the block's receipts than one
    /// transaction at a time: many payment transactions, and few other transactions whose receipts
    /// would come along. Measured on anvil with every payment its own transaction (21 of ~120 a
    /// block): one request per transaction took as long as the receipts and moved a tenth of the bytes.
    /// </summary>
    private static HashSet<long> ReceiptsPay(HashSet<TransactionInBlock> payments, HashSet<TransactionInBlock> contractTransactions)
    {
        var transactionsByBlock = contractTransactions.CountBy(transaction => transaction.Block).ToDictionary();
        return payments.CountBy(payment => payment.Block)
            .Where(block => block.Value >= MinPaymentsForReceipts && block.Value * 10 >= transactionsByBlock[block.Key] * 7)
            .Select(block => block.Key)
            .ToHashSet();
    }
}

/// <param name="PreviousBlockHash">The hash of block FromBlock − 1 as the node that answered has it; null for block −1.</param>
/// <param name="Logs">How many logs the node returned, known or not.</param>
/// <param name="Timing">When it was fetched and decoded, for the range's span.</param>
public sealed record FetchedRange(IngestedRange Range, string? PreviousBlockHash, int Logs, FetchTiming Timing);

/// <summary>Fetching ran from FetchStarted to DecodeStarted, decoding from there to DecodeEnded.</summary>
public sealed record FetchTiming(DateTimeOffset FetchStarted, DateTimeOffset DecodeStarted, DateTimeOffset DecodeEnded);
