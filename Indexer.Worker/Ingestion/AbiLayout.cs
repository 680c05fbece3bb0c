using System.Buffers;
using System.Numerics;
using System.Text;
using Indexer.Worker.Chain;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Reads a log's topics and data as the ABI lays them out, refusing anything that does not fit
/// exactly: a foreign event that shares one of our names must be skipped, never read as zeros or
/// empty strings.
/// </summary>
internal static class AbiLayout
{
    private const int Word = 32;
    private const int PaddingDigits = 2 * (Word - 20);
    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    /// <exception cref="LogLayoutException">The topic is not a 32-byte word holding a 20-byte address.</exception>
    public static string AddressTopic(string topic)
    {
        // Topics arrive lowercase: 0x, the zeros that pad the word, then the address's hex digits, cut out as they are.
        var digits = topic.StartsWith("0x", StringComparison.Ordinal) ? topic.AsSpan(2) : [];
        if (digits.Length != 2 * Word || digits[..PaddingDigits].ContainsAnyExcept('0') || digits[PaddingDigits..].ContainsAnyExcept(LowercaseHex))
        {
            throw new LogLayoutException("an indexed address is not a zero-padded 20-byte value");
        }

        return string.Concat("0x", digits[PaddingDigits..]);
    }

    /// <exception cref="LogLayoutException">The node sent data that is not 0x and hex digits (<see cref="RawLog.Data"/> is null).</exception>
    public static byte[] Data(RawLog log) => log.Data ?? throw new LogLayoutException("the log's data is not 0x and hex digits");

    /// <exception cref="LogLayoutException">The data does not have exactly <paramref name="words"/> static words (plus any dynamic tail).</exception>
    public static void RequireWords(ReadOnlySpan<byte> data, int words, bool dynamicTail)
    {
        if (dynamicTail ? data.Length < words * Word : data.Length != words * Word)
        {
            throw new LogLayoutException($"the data has {data.Length} bytes where the event needs {(dynamicTail ? "at least " : "")}{words * Word}");
        }
    }

    /// <exception cref="LogLayoutException">The word is neither 0 nor 1.</exception>
    public static bool Bool(ReadOnlySpan<byte> data, int index)
    {
        var word = WordAt(data, index);
        if (word[..^1].ContainsAnyExcept((byte)0) || word[^1] > 1)
        {
            throw new LogLayoutException("a bool is neither 0 nor 1");
        }

        return word[^1] == 1;
    }

    public static BigInteger UInt256(ReadOnlySpan<byte> data, int index) => new(WordAt(data, index), isUnsigned: true, isBigEndian: true);

    /// <summary>The string whose offset is in word <paramref name="index"/>; bytes that are not UTF-8 become U+FFFD.</summary>
    /// <exception cref="LogLayoutException">The offset or the length points outside the data.</exception>
    public static string String(ReadOnlySpan<byte> data, int index)
    {
        var offset = Length(WordAt(data, index), data.Length - Word);
        var length = Length(WordAt(data[offset..], 0), data.Length - offset - Word);
        return Encoding.UTF8.GetString(data.Slice(offset + Word, length));
    }

    private static ReadOnlySpan<byte> WordAt(ReadOnlySpan<byte> data, int index) => data.Slice(index * Word, Word);

    /// <exception cref="LogLayoutException">The word is above <paramref name="maximum"/>.</exception>
    private static int Length(ReadOnlySpan<byte> word, int maximum)
    {
        var value = new BigInteger(word, isUnsigned: true, isBigEndian: true);
        return value <= maximum ? (int)value : throw new LogLayoutException("a string's offset or length points past the end of the data");
    }
}

/// <summary>A log with one of our topics whose layout is not our event's: someone else's event.</summary>
public sealed class LogLayoutException(string message, Exception? inner = null) : FormatException(message, inner);
