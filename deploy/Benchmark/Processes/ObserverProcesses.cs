using System.Globalization;
using Benchmark.Database;
using Simulator.Bulk;
using TestSupport;

namespace Benchmark.Processes;

/// <summary>Starts the real Indexer.Worker and Query.Api the way an operator would, with only the required settings (and the API without a rate limit).</summary>
/// <param name="publishedDirectory">
/// Where <c>dotnet publish</c> put them, one folder per project (as deploy/bench.sh publishes them, ReadyToRun, like a
/// production install); null runs the solution's Release builds.
/// </param>
public sealed class ObserverProcesses(string? publishedDirectory)
{
    /// <param name="arguments">Empty to follow the chain; ["replay"] to rebuild the projection and exit.</param>
    public ChildProcess StartWorker(BulkResult chain, BenchDatabase database, params string[] arguments) =>
        ChildProcess.StartDotnet(Dll("Indexer.Worker"), arguments, new Dictionary<string, string>
        {
            ["RPC_URL"] = chain.RpcUrl,
            ["CHAIN_ID"] = chain.ChainId.ToString(CultureInfo.InvariantCulture),
            ["CONTRACT_ADDRESS"] = chain.ContractAddress,
            ["BLOCK_START"] = "0",
            ["DATABASE_URL"] = database.Url,
            ["METRICS_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        });

    public ChildProcess StartApi(BenchDatabase database, int port) =>
        ChildProcess.StartDotnet(Dll("Query.Api"), [], new Dictionary<string, string>
        {
            ["DATABASE_URL"] = database.Url,
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            // The benchmark measures the API's raw speed, from one client address.
            ["RATE_LIMIT_PER_MINUTE"] = "0",
        });

    private string Dll(string project) =>
        publishedDirectory is null ? RepoLayout.BuiltDll(project) : Path.Combine(publishedDirectory, project, project + ".dll");
}
