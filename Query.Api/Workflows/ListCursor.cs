using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;

namespace Query.Api.Workflows;

/// <summary>
/// Where the next page of GET /workflows starts: the list's sort key (the position of the first event) of
/// the last workflow on the page before. New workflows only ever sort before every existing one, so a walk
/// by cursor neither repeats nor skips a workflow while they arrive. On the wire it is opaque: base64url
/// (no padding) of a format byte and the three numbers big-endian; only the canonical text of a valid
/// value is accepted, so a forged or damaged cursor is a 400 and each position has exactly one text.
/// </summary>
public readonly record struct ListCursor(long BlockNumber, int TransactionIndex, int LogIndex)
{
    private const byte Format = 1;
    private const int ByteLength = 1 + 8 + 4 + 4;

    /// <summary>The length of every cursor's text.</summary>
    public const int TextLength = 23;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        bytes[0] = Format;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], BlockNumber);
        BinaryPrimitives.WriteInt32BigEndian(bytes[9..], TransactionIndex);
        BinaryPrimitives.WriteInt32BigEndian(bytes[13..], LogIndex);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, out ListCursor cursor)
    {
        cursor = default;
        if (text is null || text.Length != TextLength || !text.All(IsBase64UrlChar))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[ByteLength];
        // The OperationStatus overload: the Try… one throws on invalid text (non-zero trailing bits, for one).
        if (Base64Url.DecodeFromChars(text, bytes, out _, out var written) != OperationStatus.Done || written != ByteLength || bytes[0] != Format)
        {
            return false;
        }

        var decoded = new ListCursor(
            BinaryPrimitives.ReadInt64BigEndian(bytes[1..]),
            BinaryPrimitives.ReadInt32BigEndian(bytes[9..]),
            BinaryPrimitives.ReadInt32BigEndian(bytes[13..]));
        if (decoded.BlockNumber < 0 || decoded.TransactionIndex < 0 || decoded.LogIndex < 0 || decoded.Encode() != text)
        {
            return false;
        }

        cursor = decoded;
        return true;
    }

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
