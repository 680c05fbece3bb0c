using System.Security.Cryptography;
using Core.Domain.Events;

namespace Core.Domain.Proofs;

/// <summary>
/// The event-log hash, a SHA-256 chain over the log in canonical order:
/// <c>h_0</c> = 32 zero bytes, <c>h_n = SHA-256(h_(n-1) || canonical(event_n))</c> (see <see cref="CanonicalEncoding"/>).
/// A chain rather than one digest so that a stored <c>h_n</c> can later be extended by new events alone.
/// </summary>
public sealed class EventLogHash : IDisposable
{
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly CanonicalWriter writer = new();
    private readonly byte[] head = new byte[SHA256.HashSizeInBytes];
    private EventPosition? last;

    public long Count { get; private set; }

    /// <summary><c>h_n</c> after the events appended so far; 0x followed by 64 zeros for an empty log.</summary>
    public string Hex => ProofHex.Format(head);

    /// <exception cref="CanonicalOrderException">The event is not after the previous one in canonical order.</exception>
    public void Append(WorkflowEvent @event)
    {
        if (last is { } previous && @event.Position <= previous)
        {
            throw new CanonicalOrderException($"Event at {@event.Position} follows {previous}: the event log must be hashed in canonical order.");
        }

        writer.Reset();
        CanonicalEncoding.Write(writer, @event);
        sha256.AppendData(head);
        sha256.AppendData(writer.Written);
        sha256.GetHashAndReset(head);
        last = @event.Position;
        Count++;
    }

    public void Dispose() => sha256.Dispose();
}
