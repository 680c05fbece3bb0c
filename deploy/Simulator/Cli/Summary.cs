using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Bulk;
using Simulator.Simulation;

namespace Simulator.Cli;

/// <summary>The one JSON line the CLI prints on stdout; scripts read the deployment from it.</summary>
/// <param name="EventsByType">Expected events per type; with <paramref name="SettledTotal"/> (wei, decimal) absent for a continuous run.</param>
internal sealed record Summary(
    string RpcUrl,
    long ChainId,
    string ContractAddress,
    long DeployBlock,
    long LastBlock,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExpectedCounts? Expected,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, long>? EventsByType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SettledTotal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Summary Of(SimulationResult result) =>
        new(result.RpcUrl, result.ChainId, result.ContractAddress, result.DeployBlock, result.LastBlock, result.Expected,
            result.Totals.EventsByType, SettledText(result.Totals));

    public static Summary Of(BulkResult result) =>
        new(result.RpcUrl, result.ChainId, result.ContractAddress, result.DeployBlock, result.LastBlock, result.Expected,
            result.Totals.EventsByType, SettledText(result.Totals));

    public static Summary Of(Deployment deployment) =>
        new(deployment.RpcUrl, deployment.ChainId, deployment.ContractAddress, deployment.DeployBlock, deployment.DeployBlock, null, null, null);

    private static string SettledText(ExpectedTotals totals) => totals.SettledTotal.ToString(CultureInfo.InvariantCulture);

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
