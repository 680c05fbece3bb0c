using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Query.Api.Caching;

/// <summary>
/// One serialized answer (with, for a page of a list, the URL of the next page) and its strong entity tag,
/// computed once when the answer is read: a hash of the bytes and the link, so the tag changes exactly when
/// the content does, whatever moved the data version.
/// </summary>
public sealed class CachedAnswer
{
    /// <summary>Stands for "no such resource": every JSON answer has at least two bytes.</summary>
    public static readonly CachedAnswer Missing = new([]);

    public CachedAnswer(byte[] body, string? next = null)
    {
        Body = body;
        Next = next;
        // 128 bits of SHA-256: no two answers will share a tag, and the hash runs once per answer and version.
        var tag = $"\"{Convert.ToHexStringLower(Hash(body, next).AsSpan(0, 16))}\"";
        ETag = new EntityTagHeaderValue(tag);
        StrongTag = tag;
        WeakTag = "W/" + tag;
    }

    public byte[] Body { get; }

    /// <summary>The next page's URL (sent as <c>Link: &lt;…&gt;; rel="next"</c>); null for the last page and for answers that are not pages.</summary>
    public string? Next { get; }

    public EntityTagHeaderValue ETag { get; }

    /// <summary>The ETag header of the answer as stored.</summary>
    public string StrongTag { get; }

    /// <summary>The ETag header of a compressed answer: the same content, other bytes (RFC 9110 §8.8.1).</summary>
    public string WeakTag { get; }

    public bool IsMissing => Body.Length == 0;

    private static byte[] Hash(byte[] body, string? next)
    {
        if (next is null)
        {
            return SHA256.HashData(body);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(body);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(next));
        return hash.GetHashAndReset();
    }
}
