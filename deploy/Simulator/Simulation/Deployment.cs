namespace Simulator.Simulation;

/// <summary>Where the simulated workflows live.</summary>
/// <param name="DeployBlock">The block holding the deployment or, for a given contract, the head before the simulation started.</param>
public sealed record Deployment(string RpcUrl, long ChainId, string ContractAddress, long DeployBlock);
