namespace Indexer.Worker.Proofs;

/// <summary>Both hashes of one consistent snapshot, and the checkpoint block that snapshot covers.</summary>
/// <param name="CoveredBlock">The checkpoint's last block in the snapshot; null if the database has no checkpoint yet.</param>
/// <param name="CoveredBlockHash">That block's hash; null before the first range is ingested.</param>
public sealed record DeterminismProof(
    long? CoveredBlock,
    string? CoveredBlockHash,
    long EventCount,
    string EventLogHash,
    long WorkflowCount,
    string ProjectionHash,
    TimeSpan Elapsed);

/// <summary>A hash and how many items (events or rows) it covers.</summary>
internal sealed record Digest(long Count, string Hash);
