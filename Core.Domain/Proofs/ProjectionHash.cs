using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Core.Domain.Proofs;

/// <summary>
/// The projection hash: SHA-256 over every row in ordinal workflow-id order, each as a uint32
/// big-endian length followed by its canonical bytes (<see cref="CanonicalEncoding"/>). The length
/// prefix keeps row boundaries unambiguous. Rows stream through; nothing but the digest state is kept.
/// </summary>
public sealed class ProjectionHash : IDisposable
{
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly CanonicalWriter writer = new();
    private readonly byte[] length = new byte[sizeof(uint)];
    private string? lastWorkflowId;

    public long Count { get; private set; }

    /// <summary>The digest of the rows appended so far (of no bytes at all for an empty projection).</summary>
    public string Hex => ProofHex.Format(sha256.GetCurrentHash());

    /// <exception cref="CanonicalOrderException">The row's workflow id is not ordinally after the previous one.</exception>
    public void Append(ProjectionRow row)
    {
        if (lastWorkflowId is not null && string.CompareOrdinal(row.WorkflowId, lastWorkflowId) <= 0)
        {
            throw new CanonicalOrderException(
                $"Workflow {row.WorkflowId} follows {lastWorkflowId}: the projection must be hashed in ordinal workflow-id order.");
        }

        writer.Reset();
        CanonicalEncoding.Write(writer, row);
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)writer.Written.Length);
        sha256.AppendData(length);
        sha256.AppendData(writer.Written);
        lastWorkflowId = row.WorkflowId;
        Count++;
    }

    public void Dispose() => sha256.Dispose();
}
