namespace Benchmark.Scenarios;

/// <summary>One chain to build and measure.</summary>
/// <param name="Workflows">Workflows the simulator's bulk mode starts (about 3.16 events each with its fate mix).</param>
/// <param name="EventsPerBlock">Target events per block of the bulk mode.</param>
/// <param name="EmptyBlocksBetween">Empty blocks between two blocks of events (a sparse chain).</param>
/// <param name="SweepPageBlocks">Blocks per eth_getLogs request of the sweep ceiling.</param>
/// <param name="SweepFetchesHeaders">Whether the sweep also fetches the header of every block holding logs (the sparse chain's ceiling).</param>
/// <param name="LiveBlocks">Blocks mined one at a time for the live-latency phase.</param>
/// <param name="WrkDuration">How long wrk loads each URL.</param>
/// <param name="StallTimeout">The worker fails the run when its checkpoint does not move for this long (a hang guard, not a speed limit).</param>
public sealed record Scenario(
    string Name,
    int Workflows,
    int EventsPerBlock,
    int EmptyBlocksBetween,
    int SweepPageBlocks,
    bool SweepFetchesHeaders,
    int LiveBlocks,
    TimeSpan WrkDuration,
    TimeSpan StallTimeout)
{
    public const int Seed = 402;

    private static readonly TimeSpan Wrk = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(5);

    public static readonly IReadOnlyList<Scenario> All =
    [
        new("tiny", 300, 100, 2, 5, false, 10, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)),
        new("dense-100k", 31_650, 1_460, 0, 5, false, 100, Wrk, Stall),
        new("dense-1m", 316_500, 1_460, 0, 5, false, 100, Wrk, Stall),
        // 10,000 workflows over about 21,000 blocks: a block of ~50 events, then 31 empty ones.
        new("sparse", 10_000, 50, 31, 2_000, true, 100, Wrk, Stall),
        // The same over about 206,000 blocks; anvil mines empty blocks at only ~90 a second here, so it builds in ~40 min (once, with the cache).
        new("sparse-200k", 10_000, 50, 316, 2_000, true, 100, Wrk, Stall),
    ];

    public static Scenario? Named(string name) => All.SingleOrDefault(scenario => scenario.Name == name);
}
