using System.Globalization;
using System.Security.Cryptography;
using System.Text.Unicode;
using Core.Domain.Events;

namespace Indexer.Worker.Ingestion;

/// <summary>A decoded event with the chain metadata the event log keeps beside it.</summary>
/// <param name="TxSender">The transaction's sender, fetched for payments only (a settlement's <c>from</c>).</param>
public sealed record IngestedEvent(WorkflowEvent Event, string TxHash, string? TxSender, string BlockHash)
{
    /// <summary>
    /// The row id, derived from what identifies the log on chain, so that two databases indexing
    /// the same chain hold the same ids (a UUID v8 over a SHA-256 of chain, contract, tx hash and log index).
    /// </summary>
    public Guid IdFor(long chainId, string contractAddress)
    {
        // The key is ASCII (digits, hex, colons); written in place, it costs no allocation per event.
        Span<byte> key = stackalloc byte[256];
        if (!Utf8.TryWrite(key, CultureInfo.InvariantCulture, $"{chainId}:{contractAddress}:{TxHash}:{Event.Position.LogIndex}", out var length))
        {
            throw new ArgumentException("The contract address or transaction hash is too long to be a log's identity.");
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(key[..length], hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
