using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Query.Api.Caching;

/// <summary>
/// One serialized answer and its strong entity tag, computed once when the answer is read: a hash of the
/// bytes, so the tag changes exactly when the content does, whatever moved the data version.
/// </summary>
public sealed class CachedAnswer
{
    /// <summary>Stands for "no such resource": every JSON answer has at least two bytes.</summary>
    public static readonly CachedAnswer Missing = new([]);

    public CachedAnswer(byte[] body)
    {
        Body = body;
        // 128 bits of SHA-256: no two answers will share a tag, and the hash runs once per answer and version.
        var tag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16))}\"";
        ETag = new EntityTagHeaderValue(tag);
        StrongTag = tag;
        WeakTag = "W/" + tag;
    }

    public byte[] Body { get; }

    public EntityTagHeaderValue ETag { get; }

    /// <summary>The ETag header of the answer as stored.</summary>
    public string StrongTag { get; }

    /// <summary>The ETag header of a compressed answer: the same content, other bytes (RFC 9110 §8.8.1).</summary>
    public string WeakTag { get; }

    public bool IsMissing => Body.Length == 0;
}
