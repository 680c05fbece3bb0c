namespace Query.Api.Caching;

/// <summary>
/// One read shared by every request that arrives within <c>maxAge</c> of the read's start. A request
/// arriving later starts a new read (one at a time: concurrent requests join it), so whatever a request
/// gets reflects every commit made more than <c>maxAge</c> before it arrived. A failed read is not reused.
/// </summary>
public sealed class RecentRead<T>(Func<CancellationToken, Task<T>> read, TimeSpan maxAge, TimeProvider clock, CancellationToken stopping)
{
    private Attempt? _latest;

    public Task<T> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = clock.GetTimestamp();
            var latest = Volatile.Read(ref _latest);
            if (latest is not null && clock.GetElapsedTime(latest.StartedAt, now) <= maxAge && !latest.Failed)
            {
                return latest.Value.Task.WaitAsync(cancellationToken);
            }

            var attempt = new Attempt(now);
            if (Interlocked.CompareExchange(ref _latest, attempt, latest) == latest)
            {
                _ = attempt.RunAsync(read, stopping);
                return attempt.Value.Task.WaitAsync(cancellationToken);
            }
        }
    }

    private sealed class Attempt(long startedAt)
    {
        public long StartedAt { get; } = startedAt;

        public TaskCompletionSource<T> Value { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Failed => Value.Task.IsFaulted || Value.Task.IsCanceled;

        public async Task RunAsync(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        {
            try
            {
                Value.TrySetResult(await read(cancellationToken));
            }
            catch (OperationCanceledException e)
            {
                Value.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                // Handed to every request waiting on this read, which reports it (503 for a database fault).
                Value.TrySetException(e);
            }
        }
    }
}
