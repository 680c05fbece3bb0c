namespace Indexer.Worker.Tests.Crashes;

/// <summary>What the worker was doing when it was killed, as the database tells it afterwards.</summary>
public enum KillPhase
{
    /// <summary>Started, but its replay had not begun (preflight, waiting for the writer lock).</summary>
    BeforeReplay,

    /// <summary>Rebuilding workflow_state from the log.</summary>
    Replay,

    /// <summary>Ingesting blocks that were already confirmed when it started.</summary>
    Backfill,

    /// <summary>Caught up, ingesting blocks mined while it ran.</summary>
    Following,
}

/// <summary>How many kills landed in each phase.</summary>
public sealed class KillTally
{
    private readonly Dictionary<KillPhase, int> counts = Enum.GetValues<KillPhase>().ToDictionary(phase => phase, _ => 0);

    public int Total => counts.Values.Sum();

    public int this[KillPhase phase] => counts[phase];

    public void Add(KillPhase phase) => counts[phase]++;

    public override string ToString() =>
        $"{Total} kills: " + string.Join(", ", counts.Select(count => $"{count.Value} during {count.Key}"));
}
