using System.Globalization;
using Benchmark.Database;
using Simulator.Bulk;
using TestSupport;

namespace Benchmark.Processes;

/// <summary>Starts the real Indexer.Worker and Query.Api (Release builds) the way an operator would, with only the required settings.</summary>
public static class ObserverProcesses
{
    /// <param name="arguments">Empty to follow the chain; ["replay"] to rebuild the projection and exit.</param>
    public static ChildProcess StartWorker(BulkResult chain, BenchDatabase database, params string[] arguments) =>
        ChildProcess.StartDotnet(RepoLayout.BuiltDll("Indexer.Worker"), arguments, new Dictionary<string, string>
        {
            ["RPC_URL"] = chain.RpcUrl,
            ["CHAIN_ID"] = chain.ChainId.ToString(CultureInfo.InvariantCulture),
            ["CONTRACT_ADDRESS"] = chain.ContractAddress,
            ["BLOCK_START"] = "0",
            ["DATABASE_URL"] = database.Url,
        });

    public static ChildProcess StartApi(BenchDatabase database, int port) =>
        ChildProcess.StartDotnet(RepoLayout.BuiltDll("Query.Api"), [], new Dictionary<string, string>
        {
            ["DATABASE_URL"] = database.Url,
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
        });
}
