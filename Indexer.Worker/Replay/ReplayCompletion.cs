namespace Indexer.Worker.Replay;

/// <summary>
/// Completes when this process has rebuilt the projection once, so work that must see the rebuilt
/// projection (the determinism proofs) can wait for it.
/// </summary>
public sealed class ReplayCompletion
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void MarkDone() => done.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => done.Task.WaitAsync(cancellationToken);
}
