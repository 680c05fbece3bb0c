using System.Buffers;
using Core.Domain.Events;
using Indexer.Worker.Chain;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Decodes raw logs into domain events, with their block's timestamp and, for payments, the
/// transaction's sender. A log with an unknown first topic, or with one of ours but another layout
/// (someone else's event of the same name), is not an error: it is counted and skipped.
/// </summary>
public static class LogDecoder
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private delegate WorkflowEvent Decoder(RawLog log, string workflowId, EventPosition at, long time, string? sender);

    // Per event: how many topics it has (topic0, the workflow id, indexed addresses) and how its data reads.
    private static readonly Dictionary<string, (int Topics, Decoder Decode)> DecoderByTopic = new(StringComparer.Ordinal)
    {
        [ContractEvents.WorkflowStarted] = (3, (log, id, at, time, _) =>
        {
            AbiLayout.RequireWords(AbiLayout.Data(log), 0, dynamicTail: false);
            return new WorkflowStarted(id, at, time, AbiLayout.AddressTopic(log.Topics[2]));
        }),
        [ContractEvents.DecisionRecorded] = (2, (log, id, at, time, _) =>
        {
            var data = AbiLayout.Data(log);
            AbiLayout.RequireWords(data, 2, dynamicTail: true);
            return new DecisionRecorded(id, at, time, AbiLayout.Bool(data, 0), StorableText(AbiLayout.String(data, 1)));
        }),
        [ContractEvents.PaymentExecuted] = (3, (log, id, at, time, sender) =>
        {
            var data = AbiLayout.Data(log);
            AbiLayout.RequireWords(data, 1, dynamicTail: false);
            var to = AbiLayout.AddressTopic(log.Topics[2]);
            return new PaymentExecuted(
                id, at, time, sender ?? throw new ChainDataException($"No sender for payment transaction {log.TransactionHash}."), to, AbiLayout.UInt256(data, 0));
        }),
        [ContractEvents.WorkflowCompleted] = (2, (log, id, at, time, _) =>
        {
            AbiLayout.RequireWords(AbiLayout.Data(log), 0, dynamicTail: false);
            return new WorkflowCompleted(id, at, time);
        }),
        [ContractEvents.WorkflowFailed] = (2, (log, id, at, time, _) =>
        {
            var data = AbiLayout.Data(log);
            AbiLayout.RequireWords(data, 1, dynamicTail: true);
            return new WorkflowFailed(id, at, time, StorableText(AbiLayout.String(data, 0)));
        }),
    };

    public static bool IsPayment(RawLog log) =>
        log.Topics.Count > 1 && string.Equals(log.Topics[0], ContractEvents.PaymentExecuted, StringComparison.Ordinal);

    /// <returns>The events and how many logs were skipped as unknown or undecodable.</returns>
    /// <exception cref="ChainDataException">A log's block or payment sender is missing, or its block disagrees with the block fetched.</exception>
    public static DecodedRange Decode(
        IReadOnlyList<RawLog> logs, IReadOnlyDictionary<long, ChainBlock> blocks, IReadOnlyDictionary<string, string> senderByTransaction)
    {
        var events = new List<IngestedEvent>(logs.Count);
        var skipped = 0;
        foreach (var log in logs)
        {
            if (log.Topics.Count < 2 || !DecoderByTopic.TryGetValue(log.Topics[0], out var decoder) || log.Topics.Count != decoder.Topics || log.Removed)
            {
                skipped++;
                continue;
            }

            var blockNumber = log.BlockNumber;
            var blockHash = log.BlockHash;
            var block = blocks.GetValueOrDefault(blockNumber)
                ?? throw new ChainDataException($"Block {blockNumber} of a log was not fetched.");
            if (blockHash != block.Hash)
            {
                throw new ChainDataException($"Log says block {blockNumber} is {blockHash}, the node now says {block.Hash}: the chain moved.");
            }

            var txHash = log.TransactionHash;
            var sender = senderByTransaction.GetValueOrDefault(txHash);
            var position = new EventPosition(blockNumber, log.TransactionIndex, log.LogIndex);
            WorkflowEvent decoded;
            try
            {
                decoded = decoder.Decode(log, WorkflowIdTopic(log.Topics[1]), position, block.Timestamp, sender);
            }
            catch (LogLayoutException)
            {
                // Right topic, wrong layout: someone else's event with our name. Not ours to index.
                skipped++;
                continue;
            }

            events.Add(new IngestedEvent(decoded, txHash, sender, blockHash));
        }

        // Nodes return logs in canonical order; the reducer and the log's unique order index rely on it.
        if (!events.Zip(events.Skip(1)).All(pair => pair.First.Event.Position < pair.Second.Event.Position))
        {
            events.Sort((left, right) => left.Event.Position.CompareTo(right.Event.Position));
        }

        return new DecodedRange(events, skipped);
    }

    /// <exception cref="LogLayoutException">The topic is not 0x and 64 hex digits.</exception>
    private static string WorkflowIdTopic(string topic) =>
        topic is { Length: 66 } id && id.StartsWith("0x", StringComparison.Ordinal) && !id.AsSpan(2).ContainsAnyExcept(HexDigits)
            ? id
            : throw new LogLayoutException("the workflow id topic is not 32 bytes of hex");

    /// <summary>PostgreSQL text and jsonb cannot hold U+0000, which a contract's string may contain.</summary>
    private static string StorableText(string text) => text.Replace('\0', '\uFFFD');
}

/// <param name="Events">In canonical order.</param>
public sealed record DecodedRange(IReadOnlyList<IngestedEvent> Events, int SkippedLogs);
