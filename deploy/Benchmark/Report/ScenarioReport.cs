using Benchmark.Phases;

namespace Benchmark.Report;

/// <summary>One row of the phase table. Ceilings have no ratio, CPU or RSS of their own.</summary>
/// <param name="Ratio">Seconds over the seconds of the ceiling this phase is compared with.</param>
public sealed record PhaseRow(string Phase, long Events, double Seconds, double? Ratio, double? CpuSeconds, long? PeakRssBytes, string Note)
{
    public double EventsPerSecond => Seconds > 0 ? Events / Seconds : 0;
}

/// <summary>Everything measured on one scenario's chain.</summary>
/// <param name="Chain">What was built: events, workflows, blocks, whether it came from the cache and how long building took.</param>
/// <param name="Checks">Per measured database, the differences from the expected result (empty when it matches).</param>
/// <param name="Failure">Why the scenario stopped early; null when every phase ran.</param>
public sealed record ScenarioReport(
    string Scenario,
    string Chain,
    IReadOnlyList<PhaseRow> Phases,
    LiveLatency.Outcome? Live,
    IReadOnlyList<ApiLoad.UrlResult> Api,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Checks,
    string? Failure)
{
    public bool Succeeded => Failure is null && Checks.Count > 0 && Checks.Values.All(differences => differences.Count == 0);
}
