using Indexer.Worker.Operations;

namespace Indexer.Worker.SingleWriter;

/// <summary>Whether this process writes right now, and through which database session; read by the heartbeat and the proofs.</summary>
public sealed class WorkerRole
{
    private volatile int lockSessionPid;

    public bool IsWriter => lockSessionPid != 0;

    /// <summary>The backend pid of the session holding the writer lock; null while standing by.</summary>
    public int? LockSessionPid => lockSessionPid is var pid and not 0 ? pid : null;

    public string Name => IsWriter ? "writer" : "standby";

    internal void BecomeWriter(int lockSessionPid)
    {
        this.lockSessionPid = lockSessionPid;
        IndexerMetrics.Role(writer: true);
    }

    internal void BecomeStandby()
    {
        lockSessionPid = 0;
        IndexerMetrics.Role(writer: false);
    }
}
