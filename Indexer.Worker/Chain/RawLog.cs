namespace Indexer.Worker.Chain;

/// <summary>A contract log as the node returned it: hashes, address and topics lowercase, data as bytes.</summary>
/// <param name="Data">Null when the node sent something other than 0x and hex digits: then the log is no event of ours.</param>
public sealed record RawLog(
    string Address,
    IReadOnlyList<string> Topics,
    byte[]? Data,
    long BlockNumber,
    string BlockHash,
    string TransactionHash,
    int TransactionIndex,
    int LogIndex,
    bool Removed);
