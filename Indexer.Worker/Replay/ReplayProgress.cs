using System.Diagnostics;

namespace Indexer.Worker.Replay;

/// <summary>Counts replayed events and says when it is time to report them, at most once per interval.</summary>
internal sealed class ReplayProgress(long total, Stopwatch clock, TimeSpan interval)
{
    private TimeSpan lastReport = TimeSpan.Zero;

    public long Total { get; } = total;

    public long Done { get; private set; }

    public double EventsPerSecond => clock.Elapsed.TotalSeconds > 0 ? Done / clock.Elapsed.TotalSeconds : 0;

    public void Advance() => Done++;

    public bool ShouldReport()
    {
        // Checking the clock on every event would cost more than the fold itself.
        if ((Done & 0x3FF) != 0 || clock.Elapsed - lastReport < interval)
        {
            return false;
        }

        lastReport = clock.Elapsed;
        return true;
    }
}
