namespace Indexer.Worker.Reorgs;

/// <summary>The node's canonical block at a height the worker ingested is not the block it ingested.</summary>
public sealed class ReorgDetectedException(long block, string ingestedHash, string? canonicalHash)
    : Exception($"Block {block} was ingested as {ingestedHash} but the node's canonical block there is {canonicalHash ?? "missing"}.")
{
    public long Block { get; } = block;

    public string IngestedHash { get; } = ingestedHash;

    public string? CanonicalHash { get; } = canonicalHash;
}
