using System.Diagnostics;
using System.Net;
using Benchmark.Chain;
using Benchmark.Database;
using Benchmark.Processes;
using Npgsql;
using Simulator.Bulk;
using TestSupport;

namespace Benchmark.Phases;

/// <summary>
/// Live latency: with the worker caught up and Query.Api on the same database, blocks are mined one at
/// a time (evm_mine), each holding one transaction that starts new workflows. For block b the clock runs
/// from the moment block b + CONFIRMATION_BLOCKS is mined (b is confirmed) until a workflow started in
/// b answers 200 on GET /workflows/{id}.
/// </summary>
public static class LiveLatency
{
    public const int DefaultPollIntervalMs = 2000;
    private const int WorkflowsPerBlock = 5;
    private const long StartGas = 2_000_000;
    private const string ReplayFinishedSince =
        "SELECT coalesce(replay_state = 'done' AND replay_finished_at > @since, false) FROM indexer_status WHERE id = 1";
    private static readonly TimeSpan VisibleWithin = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ApiPoll = TimeSpan.FromMilliseconds(5);

    public sealed record Outcome(int Blocks, double P50Ms, double P99Ms, double MaxMs);

    /// <param name="api">Query.Api on <paramref name="database"/>, answering.</param>
    public static async Task<Outcome> RunAsync(
        ObserverProcesses observer, ScenarioChain chain, BenchDatabase database, HttpClient api, int blocks, TimeSpan stallTimeout, TextWriter log, CancellationToken cancellationToken)
    {
        var built = chain.Built;
        var startedAfter = await database.ScalarAsync<DateTime>("SELECT now()", cancellationToken);
        await using var worker = observer.StartWorker(built, database);
        var head = await chain.Node.BlockNumberAsync();
        await CatchUp.WaitForCheckpointAsync(worker, database, head - ScenarioChain.ConfirmationBlocks, stallTimeout, log, cancellationToken);
        // The checkpoint is there already (catch-up put it there); caught up means this worker has also
        // rebuilt the projection at its start and is following the chain.
        await WaitForStartupReplayAsync(worker, database, startedAfter, stallTimeout, cancellationToken);

        using var rpc = new JsonRpc(built.RpcUrl, TimeSpan.FromSeconds(30));
        var sender = (await chain.Node.CallAsync<string[]>("eth_accounts"))[0];
        var data = StartWorkflowsData(built.ContractAddress);
        var random = new Random(Scenarios.Scenario.Seed);
        var mined = new List<(string WorkflowId, long MinedAt)>();
        var confirmed = new System.Collections.Concurrent.BlockingCollection<(string WorkflowId, long ConfirmedAt)>();
        var watcher = Task.Run(() => WatchAsync(api, confirmed, cancellationToken), cancellationToken);
        await chain.Node.SetAutomineAsync(false);
        try
        {
            for (var block = 0; block < blocks + ScenarioChain.ConfirmationBlocks; block++)
            {
                var transaction = new { from = sender, to = built.ContractAddress, data, gas = JsonRpc.Quantity(StartGas) };
                string hash;
                using (var sent = await rpc.SendAsync(JsonRpc.Request("eth_sendTransaction", transaction), cancellationToken))
                {
                    hash = sent.RootElement.GetProperty("result").GetString()!;
                }

                using (await rpc.SendAsync(JsonRpc.Request("evm_mine"), cancellationToken))
                {
                }

                var minedAt = Stopwatch.GetTimestamp();
                using (var receipt = await rpc.SendAsync(JsonRpc.Request("eth_getTransactionReceipt", hash), cancellationToken))
                {
                    var firstLog = receipt.RootElement.GetProperty("result").GetProperty("logs")[0];
                    mined.Add((firstLog.GetProperty("topics")[1].GetString()!, minedAt));
                }

                if (block >= ScenarioChain.ConfirmationBlocks)
                {
                    confirmed.Add((mined[block - ScenarioChain.ConfirmationBlocks].WorkflowId, minedAt), cancellationToken);
                }

                // Blocks at uneven moments, so that they fall at every point of the worker's poll cycle.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(100, 400)), cancellationToken);
            }
        }
        finally
        {
            confirmed.CompleteAdding(); // the watcher finishes what was confirmed, then stops
            await chain.Node.SetAutomineAsync(true);
        }

        var latencies = (await watcher).Order().ToList();
        return new Outcome(latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1]);
    }

    /// <returns>Milliseconds from confirmation to visibility, one per block, in block order.</returns>
    private static async Task<List<double>> WatchAsync(
        HttpClient api, System.Collections.Concurrent.BlockingCollection<(string WorkflowId, long ConfirmedAt)> confirmed, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        foreach (var (workflowId, confirmedAt) in confirmed.GetConsumingEnumerable(cancellationToken))
        {
            while (true)
            {
                using var response = await api.GetAsync($"/workflows/{workflowId}", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(confirmedAt).TotalMilliseconds);
                    break;
                }

                if (Stopwatch.GetElapsedTime(confirmedAt) > VisibleWithin)
                {
                    throw new BenchmarkPhaseException($"Workflow {workflowId} was not visible through the API {VisibleWithin.TotalSeconds:0} s after its block was confirmed.");
                }

                await Task.Delay(ApiPoll, cancellationToken);
            }
        }

        return latencies;
    }

    private static async Task WaitForStartupReplayAsync(
        ChildProcess worker, BenchDatabase database, DateTime startedAfter, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Eventually.TrueAsync(
            async () => worker.HasExited || await database.ScalarAsync<bool>(
                ReplayFinishedSince, [new NpgsqlParameter("since", startedAfter)], cancellationToken),
            timeout,
            () => $"The worker finishes its startup replay. Output:\n{CatchUp.Tail(worker.Output)}");
        if (worker.HasExited)
        {
            throw new BenchmarkPhaseException($"The worker exited during its startup replay:\n{CatchUp.Tail(worker.Output)}");
        }
    }

    private static string StartWorkflowsData(string contractAddress) =>
        new Nethereum.Contracts.ContractBuilder(Simulator.Contract.ContractArtifact.Load().Abi, contractAddress)
            .GetFunctionBuilder("startWorkflows").GetData(new System.Numerics.BigInteger(WorkflowsPerBlock));

    /// <summary>Nearest rank.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
