using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Simulation;

namespace Simulator.Cli;

/// <summary>The one JSON line the CLI prints on stdout; scripts read the deployment from it.</summary>
internal sealed record Summary(
    string RpcUrl,
    long ChainId,
    string ContractAddress,
    long DeployBlock,
    long LastBlock,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExpectedCounts? Expected)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Summary Of(SimulationResult result) =>
        new(result.RpcUrl, result.ChainId, result.ContractAddress, result.DeployBlock, result.LastBlock, result.Expected);

    public static Summary Of(Deployment deployment) =>
        new(deployment.RpcUrl, deployment.ChainId, deployment.ContractAddress, deployment.DeployBlock, deployment.DeployBlock, null);

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
