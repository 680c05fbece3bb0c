using System.Globalization;
using Core.Domain.Events;

namespace Query.Api.Streaming;

/// <summary>
/// How far a stream has got in the event log, written as every event's <c>id:</c> and read back from
/// <c>Last-Event-ID</c>. Either the position of an event (everything up to and including it was sent), or
/// the end of a block (everything up to and including that block was sent). It carries the first 16 hex
/// digits of that block's hash, so a position whose block a reorg replaced is recognised as gone:
/// <list type="bullet">
/// <item><c>{block}.{transactionIndex}.{logIndex}.{hash16}</c>: after that event;</item>
/// <item><c>{block}.{hash16}</c>: after that whole block;</item>
/// <item><c>{block}</c>: after a block below the first indexed one (nothing ingested yet), e.g. <c>-1</c>.</item>
/// </list>
/// </summary>
public readonly record struct StreamCursor(EventPosition Position, string? BlockHash)
{
    /// <summary>Hex digits of the block hash kept in an id: 64 bits, so a replaced block never passes for the old one.</summary>
    public const int HashDigits = 16;

    private const int MaxLength = 80;

    /// <summary>Before anything the log could hold.</summary>
    public static readonly StreamCursor BeforeEverything = EndOf(-1, null);

    public bool IsEndOfBlock => Position.TransactionIndex == int.MaxValue;

    public long Block => Position.BlockNumber;

    public static StreamCursor EndOf(long block, string? blockHash) =>
        new(new EventPosition(block, int.MaxValue, int.MaxValue), Shorten(blockHash));

    public static StreamCursor After(EventPosition position, string blockHash) => new(position, Shorten(blockHash));

    /// <summary>Whether <paramref name="blockHash"/> (0x + 64 hex digits, as stored) is the block this cursor was taken in.</summary>
    public bool IsInBlock(string? blockHash) => BlockHash is not null && Shorten(blockHash) == BlockHash;

    public override string ToString() => (IsEndOfBlock, BlockHash) switch
    {
        (true, null) => Block.ToString(CultureInfo.InvariantCulture),
        (true, { } hash) => string.Create(CultureInfo.InvariantCulture, $"{Block}.{hash}"),
        (false, var hash) => string.Create(
            CultureInfo.InvariantCulture, $"{Block}.{Position.TransactionIndex}.{Position.LogIndex}.{hash}"),
    };

    /// <returns>False for anything this class did not write.</returns>
    public static bool TryParse(string? text, out StreamCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        var parts = text.Split('.');
        if (!TryParseBlock(parts[0], out var block))
        {
            return false;
        }

        switch (parts.Length)
        {
            case 1:
                cursor = EndOf(block, null);
                return true;
            case 2 when IsHash(parts[1]):
                cursor = new StreamCursor(EndOf(block, null).Position, parts[1]);
                return true;
            case 4 when TryParseIndex(parts[1], out var transaction) && TryParseIndex(parts[2], out var log) && IsHash(parts[3]):
                cursor = new StreamCursor(new EventPosition(block, transaction, log), parts[3]);
                return true;
            default:
                return false;
        }
    }

    private static bool TryParseBlock(string text, out long block) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out block) && block >= -1
        && text == block.ToString(CultureInfo.InvariantCulture);

    // int.MaxValue marks the end of a block, so it is no event's index.
    private static bool TryParseIndex(string text, out int index) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < int.MaxValue
        && text == index.ToString(CultureInfo.InvariantCulture);

    private static bool IsHash(string text) => text.Length == HashDigits && text.All(char.IsAsciiHexDigitLower);

    private static string? Shorten(string? blockHash) =>
        blockHash is { Length: >= HashDigits + 2 } ? blockHash.Substring(2, HashDigits).ToLowerInvariant() : null;
}
