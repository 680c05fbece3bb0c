namespace Indexer.Worker.SingleWriter;

/// <summary>Whether this process writes right now; read by the heartbeat.</summary>
public sealed class WorkerRole
{
    private volatile bool isWriter;

    public bool IsWriter => isWriter;

    public string Name => isWriter ? "writer" : "standby";

    internal void BecomeWriter() => isWriter = true;

    internal void BecomeStandby() => isWriter = false;
}
