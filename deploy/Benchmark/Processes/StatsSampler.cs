using TestSupport;

namespace Benchmark.Processes;

/// <summary>Keeps the latest /proc reading of a child process, taken every few milliseconds while it lives: the last one before it exits is what it used.</summary>
public sealed class StatsSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private readonly ChildProcess process;
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    public StatsSampler(ChildProcess process)
    {
        this.process = process;
        sampling = SampleAsync();
    }

    public ProcessStats? Latest { get; private set; }

    /// <summary>Reads once more now (the process must still be alive for it to count) and returns the latest reading.</summary>
    public ProcessStats? ReadNow()
    {
        Latest = ProcessStats.Read(process.Id) ?? Latest;
        return Latest;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (!process.HasExited && await timer.WaitForNextTickAsync(stop.Token))
            {
                ReadNow();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: sampling ends with the phase.
        }
    }
}
