namespace Indexer.Worker.Chain;

/// <summary>A contract log as the node returned it: hashes, address and topics lowercase, data still hex.</summary>
public sealed record RawLog(
    string Address,
    IReadOnlyList<string> Topics,
    string Data,
    long BlockNumber,
    string BlockHash,
    string TransactionHash,
    int TransactionIndex,
    int LogIndex,
    bool Removed);
