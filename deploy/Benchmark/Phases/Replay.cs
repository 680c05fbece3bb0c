using System.Diagnostics;
using Benchmark.Database;
using Benchmark.Processes;
using Simulator.Bulk;

namespace Benchmark.Phases;

/// <summary>Replay: <c>Indexer.Worker replay</c> on the indexed database, timed from process start to its exit.</summary>
public static class Replay
{
    public sealed record Outcome(double Seconds, ProcessStats Stats);

    public static async Task<Outcome> RunAsync(ObserverProcesses observer, BulkResult chain, BenchDatabase database, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var replay = observer.StartWorker(chain, database, "replay");
        await using var sampler = new StatsSampler(replay);
        int exitCode;
        try
        {
            exitCode = await replay.WaitForExitAsync(timeout).WaitAsync(cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new BenchmarkPhaseException($"replay did not finish within {timeout.TotalMinutes:0} min:\n{CatchUp.Tail(replay.Output)}");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        if (exitCode != 0)
        {
            throw new BenchmarkPhaseException($"replay exited with {exitCode}:\n{CatchUp.Tail(replay.Output)}");
        }

        return new Outcome(seconds, sampler.Latest ?? throw new BenchmarkPhaseException("replay ended before its /proc entry could be read."));
    }
}
