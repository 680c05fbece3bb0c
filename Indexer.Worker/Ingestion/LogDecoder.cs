using Core.Domain.Events;
using Indexer.Worker.Chain;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Decodes raw logs into domain events, with their block's timestamp and, for payments, the
/// transaction's sender. A log with an unknown first topic is not an error: it is counted and skipped.
/// </summary>
public static class LogDecoder
{
    private static readonly string PaymentTopic = Topic<PaymentExecutedLog>();

    private static readonly Dictionary<string, Func<FilterLog, string, EventPosition, long, string?, WorkflowEvent>> DecoderByTopic = new()
    {
        [Topic<WorkflowStartedLog>()] = (log, id, at, time, _) =>
            new WorkflowStarted(id, at, time, Address(log.DecodeEvent<WorkflowStartedLog>().Event.Initiator)),
        [Topic<DecisionRecordedLog>()] = (log, id, at, time, _) =>
        {
            var decision = log.DecodeEvent<DecisionRecordedLog>().Event;
            return new DecisionRecorded(id, at, time, decision.Approved, StorableText(decision.Reason));
        },
        [PaymentTopic] = (log, id, at, time, sender) =>
        {
            var payment = log.DecodeEvent<PaymentExecutedLog>().Event;
            return new PaymentExecuted(
                id, at, time, sender ?? throw new ChainDataException($"No sender for payment transaction {log.TransactionHash}."), Address(payment.To), payment.Amount);
        },
        [Topic<WorkflowCompletedLog>()] = (_, id, at, time, _) => new WorkflowCompleted(id, at, time),
        [Topic<WorkflowFailedLog>()] = (log, id, at, time, _) =>
            new WorkflowFailed(id, at, time, StorableText(log.DecodeEvent<WorkflowFailedLog>().Event.Reason)),
    };

    public static bool IsPayment(FilterLog log) =>
        log.Topics is { Length: > 1 } && string.Equals(log.Topics[0]?.ToString(), PaymentTopic, StringComparison.OrdinalIgnoreCase);

    /// <returns>The events and how many logs were skipped as unknown or undecodable.</returns>
    /// <exception cref="ChainDataException">A log's block or payment sender is missing, or its block disagrees with the block fetched.</exception>
    public static DecodedRange Decode(
        IReadOnlyList<FilterLog> logs, IReadOnlyDictionary<long, ChainBlock> blocks, IReadOnlyDictionary<string, string> senderByTransaction)
    {
        var events = new List<IngestedEvent>(logs.Count);
        var skipped = 0;
        foreach (var log in logs)
        {
            var topic = log.Topics is { Length: > 1 } ? log.Topics[0]?.ToString()?.ToLowerInvariant() : null;
            if (topic is null || !DecoderByTopic.TryGetValue(topic, out var decode) || log.Removed)
            {
                skipped++;
                continue;
            }

            var blockNumber = (long)log.BlockNumber.Value;
            var blockHash = log.BlockHash.ToLowerInvariant();
            var block = blocks.GetValueOrDefault(blockNumber)
                ?? throw new ChainDataException($"Block {blockNumber} of a log was not fetched.");
            if (blockHash != block.Hash)
            {
                throw new ChainDataException($"Log says block {blockNumber} is {blockHash}, the node now says {block.Hash}: the chain moved.");
            }

            var txHash = log.TransactionHash.ToLowerInvariant();
            var sender = senderByTransaction.GetValueOrDefault(txHash);
            var position = new EventPosition(blockNumber, (int)log.TransactionIndex.Value, (int)log.LogIndex.Value);
            var workflowId = log.Topics![1]!.ToString()!.ToLowerInvariant();

            WorkflowEvent decoded;
            try
            {
                decoded = decode(log, workflowId, position, block.Timestamp, sender);
            }
            catch (Exception e) when (e is not ChainDataException and not OutOfMemoryException)
            {
                // Right topic, wrong data layout: someone else's event with our name. Not ours to index.
                skipped++;
                continue;
            }

            events.Add(new IngestedEvent(decoded, txHash, sender, blockHash));
        }

        return new DecodedRange(events, skipped);
    }

    private static string Topic<TEvent>() where TEvent : IEventDTO, new() =>
        EventExtensions.GetEventABI<TEvent>().Sha3Signature.EnsureHexPrefix().ToLowerInvariant();

    private static string Address(string address) => address.ToLowerInvariant();

    /// <summary>PostgreSQL text and jsonb cannot hold U+0000, which a contract's string may contain.</summary>
    private static string StorableText(string text) => text.Replace('\0', '\uFFFD');
}

public sealed record DecodedRange(IReadOnlyList<IngestedEvent> Events, int SkippedLogs);
