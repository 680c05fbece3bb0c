using System.Globalization;
using Benchmark.Database;
using Simulator.Bulk;
using TestSupport;

namespace Benchmark.Processes;

/// <summary>Starts the real Indexer.Worker and Query.Api the way an operator would, with only the required settings (and the API without a rate limit).</summary>
/// <param name="publishedDirectory">
/// Where <c>dotnet publish</c> put them, one folder per project, as deploy/bench.sh publishes them like a production
/// install (the worker compiled to native code, the API ReadyToRun); null runs the solution's Release builds.
/// </param>
public sealed class ObserverProcesses(string? publishedDirectory)
{
    /// <param name="arguments">Empty to follow the chain; ["replay"] to rebuild the projection and exit.</param>
    public ChildProcess StartWorker(BulkResult chain, BenchDatabase database, params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["RPC_URL"] = chain.RpcUrl,
            ["CHAIN_ID"] = chain.ChainId.ToString(CultureInfo.InvariantCulture),
            ["CONTRACT_ADDRESS"] = chain.ContractAddress,
            ["BLOCK_START"] = "0",
            ["DATABASE_URL"] = database.Url,
            ["METRICS_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        };
        return publishedDirectory is null
            ? ChildProcess.StartIndexerWorker(arguments, environment)
            : ChildProcess.Start(Path.Combine(publishedDirectory, "Indexer.Worker", "Indexer.Worker"), arguments, environment);
    }

    public ChildProcess StartApi(BenchDatabase database, int port) =>
        ChildProcess.StartDotnet(
            publishedDirectory is null ? RepoLayout.BuiltDll("Query.Api") : Path.Combine(publishedDirectory, "Query.Api", "Query.Api.dll"),
            [],
            new Dictionary<string, string>
            {
                ["DATABASE_URL"] = database.Url,
                ["HOST"] = "127.0.0.1",
                ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
                // The benchmark measures the API's raw speed, from one client address.
                ["RATE_LIMIT_PER_MINUTE"] = "0",
            });
}
