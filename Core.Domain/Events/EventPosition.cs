namespace Core.Domain.Events;

/// <summary>
/// Where a log sits on the chain. Ordering by (block, transaction, log) is the canonical
/// order of the event log; the reducer and SQL both rely on it.
/// </summary>
public readonly record struct EventPosition(long BlockNumber, int TransactionIndex, int LogIndex)
    : IComparable<EventPosition>
{
    public int CompareTo(EventPosition other)
    {
        var byBlock = BlockNumber.CompareTo(other.BlockNumber);
        if (byBlock != 0)
        {
            return byBlock;
        }

        var byTransaction = TransactionIndex.CompareTo(other.TransactionIndex);
        return byTransaction != 0 ? byTransaction : LogIndex.CompareTo(other.LogIndex);
    }

    public bool IsSameTransactionAs(EventPosition other) =>
        BlockNumber == other.BlockNumber && TransactionIndex == other.TransactionIndex;

    public static bool operator <(EventPosition left, EventPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(EventPosition left, EventPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(EventPosition left, EventPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EventPosition left, EventPosition right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{BlockNumber}/{TransactionIndex}/{LogIndex}";
}
