namespace Chaos;

/// <param name="Duration">How long faults are injected; convergence and the comparison come after.</param>
/// <param name="Seed">Seeds the workload and the choice of faults, so a run can be repeated.</param>
/// <param name="Workers">Worker processes sharing the database (one writes, the others stand by).</param>
public sealed record ChaosOptions(TimeSpan Duration, int Seed = 1, int Workers = 2)
{
    public const int ConfirmationBlocks = 2;
}
