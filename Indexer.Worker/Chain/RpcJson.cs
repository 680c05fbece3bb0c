using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Indexer.Worker.Chain;

/// <summary>
/// Reads the JSON-RPC results the worker asks for (logs, blocks, quantities) straight from a
/// <see cref="Utf8JsonReader"/>. Hashes and addresses come out lowercase, as the event log stores them.
/// </summary>
internal static class RpcJson
{
    // LOG0 to LOG4: an EVM log has at most four topics.
    private const int MaxTopics = 4;

    public static long Quantity(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            throw new FormatException("a quantity is not a plain hex string");
        }

        var text = reader.ValueSpan;
        if (text.Length < 3 || text[0] != '0' || (text[1] | 0x20) != 'x'
            || !Utf8Parser.TryParse(text[2..], out ulong value, out var consumed, 'x') || consumed != text.Length - 2 || value > long.MaxValue)
        {
            throw new FormatException("a quantity is not 0x and hex digits that fit 63 bits");
        }

        return (long)value;
    }

    /// <summary>An eth_getLogs result: an array of log objects.</summary>
    public static List<RawLog> Logs(ref Utf8JsonReader reader)
    {
        Require(reader.TokenType == JsonTokenType.StartArray, "eth_getLogs did not return an array");
        var logs = new List<RawLog>();
        var strings = new RepeatedStrings();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            logs.Add(Log(ref reader, strings));
        }

        return logs;
    }

    /// <summary>An eth_getBlockByNumber result without transactions; null when the node has no such block.</summary>
    public static ChainBlock? Block(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Require(reader.TokenType == JsonTokenType.StartObject, "a block is not an object");
        long? number = null, timestamp = null;
        string? hash = null, parentHash = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("number"u8))
            {
                reader.Read();
                number = Quantity(ref reader);
            }
            else if (reader.ValueTextEquals("hash"u8))
            {
                reader.Read();
                hash = LowercaseHex(ref reader);
            }
            else if (reader.ValueTextEquals("parentHash"u8))
            {
                reader.Read();
                parentHash = LowercaseHex(ref reader);
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                timestamp = Quantity(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return number is { } n && hash is not null && parentHash is not null && timestamp is { } t
            ? new ChainBlock(n, hash, parentHash, t)
            : throw new FormatException("a block lacks its number, hash, parent hash or timestamp");
    }

    /// <summary>An eth_getTransactionReceipt result (null when the node does not know it): its transaction hash and sender go into <paramref name="senders"/>.</summary>
    public static void ReceiptSender(ref Utf8JsonReader reader, Dictionary<string, string> senders)
    {
        if (reader.TokenType != JsonTokenType.Null)
        {
            AddSender(ref reader, "transactionHash"u8, senders);
        }
    }

    /// <summary>An eth_getTransactionByHash result (null when the node does not know it): its hash and sender go into <paramref name="senders"/>.</summary>
    public static void TransactionSender(ref Utf8JsonReader reader, Dictionary<string, string> senders)
    {
        if (reader.TokenType != JsonTokenType.Null)
        {
            AddSender(ref reader, "hash"u8, senders);
        }
    }

    private static void AddSender(ref Utf8JsonReader reader, ReadOnlySpan<byte> hashProperty, Dictionary<string, string> senders)
    {
        Require(reader.TokenType == JsonTokenType.StartObject, "a transaction or receipt is not an object");
        string? hash = null, from = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(hashProperty))
            {
                reader.Read();
                hash = LowercaseHex(ref reader);
            }
            else if (reader.ValueTextEquals("from"u8))
            {
                reader.Read();
                from = LowercaseHex(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (hash is not null && from is not null)
        {
            senders[hash] = from;
        }
    }

    private static RawLog Log(ref Utf8JsonReader reader, RepeatedStrings strings)
    {
        Require(reader.TokenType == JsonTokenType.StartObject, "a log is not an object");
        string? address = null, blockHash = null, txHash = null;
        string[]? topics = null;
        byte[]? data = null;
        long? block = null, txIndex = null, logIndex = null;
        var removed = false;
        var hasData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("address"u8))
            {
                reader.Read();
                address = strings.Address.Get(ref reader);
            }
            else if (reader.ValueTextEquals("topics"u8))
            {
                reader.Read();
                topics = Topics(ref reader, strings);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                hasData = reader.TokenType == JsonTokenType.String;
                data = hasData ? HexBytes(ref reader) : null;
            }
            else if (reader.ValueTextEquals("blockNumber"u8))
            {
                reader.Read();
                block = Quantity(ref reader);
            }
            else if (reader.ValueTextEquals("blockHash"u8))
            {
                reader.Read();
                blockHash = strings.BlockHash.Get(ref reader);
            }
            else if (reader.ValueTextEquals("transactionHash"u8))
            {
                reader.Read();
                txHash = strings.TransactionHash.Get(ref reader);
            }
            else if (reader.ValueTextEquals("transactionIndex"u8))
            {
                reader.Read();
                txIndex = Quantity(ref reader);
            }
            else if (reader.ValueTextEquals("logIndex"u8))
            {
                reader.Read();
                logIndex = Quantity(ref reader);
            }
            else if (reader.ValueTextEquals("removed"u8))
            {
                reader.Read();
                removed = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return address is not null && topics is not null && hasData && blockHash is not null && txHash is not null
               && block is { } b && txIndex is { } tx && logIndex is { } li && tx <= int.MaxValue && li <= int.MaxValue
            ? new RawLog(address, topics, data, b, blockHash, txHash, (int)tx, (int)li, removed)
            : throw new FormatException("a log lacks one of address, topics, data, block, transaction or log index (a pending log?)");
    }

    private static string[] Topics(ref Utf8JsonReader reader, RepeatedStrings strings)
    {
        Require(reader.TokenType == JsonTokenType.StartArray, "a log's topics are not an array");
        // Gathered on the stack, then one array of the exact size.
        var topics = new TopicBuffer();
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Require(count < MaxTopics, "a log has more than four topics");
            // The event signature repeats in every log of its kind; later topics rarely do.
            topics[count] = count == 0 ? strings.Signature.Get(ref reader) : LowercaseHex(ref reader);
            count++;
        }

        return ((ReadOnlySpan<string>)topics)[..count].ToArray();
    }

    /// <summary>The bytes of 0x and hex digits, read from the answer without a string between; null for anything else.</summary>
    private static byte[]? HexBytes(ref Utf8JsonReader reader)
    {
        var text = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        if (text.Length < 2 || text[0] != '0' || (text[1] | 0x20) != 'x' || text.Length % 2 != 0)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(text[2..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string LowercaseHex(ref Utf8JsonReader reader) =>
        (reader.GetString() ?? throw new FormatException("a hash or address is null")).ToLowerInvariant();

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new FormatException(problem);
        }
    }

    [InlineArray(MaxTopics)]
    private struct TopicBuffer
    {
        private string element;
    }

    /// <summary>
    /// A log repeats its neighbours' contract address, block hash and transaction hash, and one of a
    /// few event signatures: each is allocated once per run of equal values instead of once per log.
    /// </summary>
    private sealed class RepeatedStrings
    {
        public readonly RecentStrings Address = new(1);
        public readonly RecentStrings BlockHash = new(1);
        public readonly RecentStrings TransactionHash = new(1);
        public readonly RecentStrings Signature = new(8);
    }

    private sealed class RecentStrings(int capacity)
    {
        private readonly string?[] recent = new string?[capacity];
        private int next;

        public string Get(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped)
            {
                // Kept lowercase, as returned; the node may send either case.
                foreach (var value in recent)
                {
                    if (value is not null && Ascii.EqualsIgnoreCase(reader.ValueSpan, value))
                    {
                        return value;
                    }
                }
            }

            var lowercase = LowercaseHex(ref reader);
            recent[next] = lowercase;
            next = (next + 1) % recent.Length;
            return lowercase;
        }
    }
}
