namespace Simulator.Simulation;

/// <summary>Reported after each block the continuous mode mines; counts are since it began.</summary>
public sealed record SimulationProgress(
    long BlockNumber,
    int Transactions,
    int Started,
    int Running,
    int Completed,
    int Failed,
    int Rejected);
