using System.Diagnostics;
using System.Globalization;
using Simulator.Simulation;
using TestSupport;

namespace Chaos;

/// <summary>
/// Drives a continuous workflow workload through the real worker processes while injecting, each
/// iteration, one kind of trouble: a SIGKILL of a worker, RPC faults through a proxy in front of
/// anvil, a PostgreSQL restart, or a reorg deeper than the confirmation window. Then it lets the
/// fleet converge and compares its database with one a fresh worker builds from the final chain.
/// </summary>
public static class ChaosRun
{
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromMinutes(3);

    private static readonly FaultKind[] RpcFaultMenu =
    [
        new FaultKind.Http429(RetryAfterSeconds: 1),
        new FaultKind.Http500(),
        new FaultKind.Http503(),
        new FaultKind.Timeout(TimeSpan.FromSeconds(2)),
        new FaultKind.ConnectionReset(),
        new FaultKind.TruncatedJson(),
        new FaultKind.MalformedJson(),
        new FaultKind.RpcError(-32005, "limit exceeded", "eth_getLogs"),
        new FaultKind.RpcError(-32000, "query returned more than 10000 results", "eth_getLogs"),
        new FaultKind.LaggingNode(LagBlocks: 3),
        new FaultKind.HeadGoesBackwards(Blocks: 5),
    ];

    private enum Trouble
    {
        Kill,
        RpcFaults,
        DatabaseRestart,
        Reorg,
    }

    public static async Task<ChaosReport> RunAsync(ChaosOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        await using var postgres = await PostgresServer.StartAsync();
        await using var anvil = await AnvilNode.StartAsync();
        await using var proxy = FaultProxy.Start(anvil.RpcUrl);
        var deployment = await WorkflowSimulator.DeployAsync(anvil.RpcUrl, cancellationToken);
        var database = await ChaosDatabase.CreateAsync(postgres);
        var environment = WorkerEnvironment(deployment, proxy.Url, database);
        var workers = Enumerable.Range(0, options.Workers).Select(_ => StartWorker(environment)).ToList();

        var kills = 0;
        var unexpectedExits = 0;
        var restarts = 0;
        var iteration = 0;
        var troubles = Enum.GetValues<Trouble>();
        try
        {
            while (clock.Elapsed < options.Duration)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A worker must survive everything below; one that exited on its own is a failure of the run.
                for (var index = 0; index < workers.Count; index++)
                {
                    if (workers[index].HasExited)
                    {
                        unexpectedExits++;
                        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] worker {index} EXITED on its own:\n{string.Join('\n', workers[index].Output.Split('\n').TakeLast(20))}");
                        await workers[index].DisposeAsync();
                        workers[index] = StartWorker(environment);
                    }
                }

                // Every kind of trouble comes once first, so that even a short run covers them all.
                var trouble = iteration < troubles.Length ? troubles[iteration] : troubles[random.Next(troubles.Length)];
                var snapshot = trouble == Trouble.Reorg ? await anvil.SnapshotAsync() : null;
                var batch = await SimulateAsync(anvil, deployment, random, cancellationToken);

                switch (trouble)
                {
                    case Trouble.Kill:
                        var victim = random.Next(workers.Count);
                        workers[victim].Kill();
                        await workers[victim].DisposeAsync();
                        workers[victim] = StartWorker(environment);
                        kills++;
                        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] killed worker {victim}");
                        break;
                    case Trouble.RpcFaults:
                        var fault = RpcFaultMenu[random.Next(RpcFaultMenu.Length)];
                        proxy.Inject(fault, times: random.Next(1, 6), when: Targets(fault));
                        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] injecting {fault}");
                        break;
                    case Trouble.DatabaseRestart:
                        await postgres.StopAsync();
                        await postgres.StartAgainAsync();
                        restarts++;
                        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] restarted PostgreSQL");
                        break;
                    case Trouble.Reorg:
                        // Reorg only what the fleet has ingested, so that the repair path runs.
                        await WaitForIngestionAsync(database, batch.LastBlock, TimeSpan.FromSeconds(60), workers);
                        await anvil.RevertAsync(snapshot!);
                        await SimulateAsync(anvil, deployment, random, cancellationToken, outgrow: batch.Head);
                        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] reorganised the blocks above {batch.FirstBlock}");
                        break;
                }

                iteration++;
            }

            proxy.ClearFaults();
            await anvil.MineAsync(ChaosOptions.ConfirmationBlocks);
            var finalHead = await anvil.BlockNumberAsync();
            await WaitForIngestionAsync(database, finalHead - ChaosOptions.ConfirmationBlocks, ConvergenceTimeout, workers);
            log.WriteLine($"[{clock.Elapsed:mm\\:ss}] converged at block {finalHead - ChaosOptions.ConfirmationBlocks}; indexing the final chain afresh");

            var reference = await ChaosDatabase.CreateAsync(postgres);
            await using (var fresh = StartWorker(WorkerEnvironment(deployment, anvil.RpcUrl, reference)))
            {
                await WaitForIngestionAsync(reference, finalHead - ChaosOptions.ConfirmationBlocks, ConvergenceTimeout);
                await WaitForProofAsync(reference, finalHead - ChaosOptions.ConfirmationBlocks);
            }

            await WaitForProofAsync(database, finalHead - ChaosOptions.ConfirmationBlocks);
            var storedLog = await database.EventLogAsync();
            var expectedLog = await reference.EventLogAsync();
            var storedProof = await database.ProofAsync();
            var expectedProof = await reference.ProofAsync();
            return new ChaosReport(
                clock.Elapsed,
                iteration,
                kills,
                unexpectedExits,
                await database.ReorgDepthsAsync(),
                RpcFaultMenu.Select(fault => (Name: Describe(fault), Count: proxy.Injected(fault)))
                    .GroupBy(entry => entry.Name)
                    .ToDictionary(group => group.Key, group => group.Sum(entry => entry.Count)),
                restarts,
                expectedLog.Count,
                storedLog.Count,
                storedLog.SequenceEqual(expectedLog),
                (await database.ProjectionAsync()).SequenceEqual(await reference.ProjectionAsync()),
                storedProof?.EventLogHash,
                expectedProof?.EventLogHash,
                storedProof?.ProjectionHash,
                expectedProof?.ProjectionHash);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    /// <summary>Runs a few seeded workflows, then buries them under the confirmation window.</summary>
    /// <param name="outgrow">Keep going until the chain is longer than this (after a reorg, so the new chain wins).</param>
    private static async Task<SimulatedSpan> SimulateAsync(
        AnvilNode anvil, Deployment deployment, Random random, CancellationToken cancellationToken, long outgrow = 0)
    {
        var first = await anvil.BlockNumberAsync() + 1;
        SimulationResult batch;
        do
        {
            batch = await WorkflowSimulator.RunAsync(
                new SimulationOptions(anvil.RpcUrl, random.Next(3, 9), random.Next(), random.Next(1, 4), deployment.ContractAddress),
                cancellationToken);
        }
        while (batch.LastBlock + ChaosOptions.ConfirmationBlocks <= outgrow);

        await anvil.MineAsync(ChaosOptions.ConfirmationBlocks);
        return new SimulatedSpan(first, batch.LastBlock, batch.LastBlock + ChaosOptions.ConfirmationBlocks);
    }

    /// <param name="LastBlock">The last block holding simulated events; the fleet confirms it once it sees Head.</param>
    private sealed record SimulatedSpan(long FirstBlock, long LastBlock, long Head);

    private static Func<RpcRequest, bool>? Targets(FaultKind fault) => fault switch
    {
        FaultKind.RpcError error => request => request.Has(error.Method),
        FaultKind.LaggingNode => request => request.Has("eth_getLogs"),
        FaultKind.HeadGoesBackwards => request => request.Has("eth_blockNumber"),
        _ => null,
    };

    private static string Describe(FaultKind fault) => fault switch
    {
        FaultKind.RpcError error => $"RpcError {error.Code}",
        _ => fault.GetType().Name,
    };

    private static Dictionary<string, string> WorkerEnvironment(Deployment deployment, string rpcUrl, ChaosDatabase database) => new()
    {
        ["RPC_URL"] = rpcUrl,
        ["CHAIN_ID"] = deployment.ChainId.ToString(CultureInfo.InvariantCulture),
        ["CONTRACT_ADDRESS"] = deployment.ContractAddress,
        ["BLOCK_START"] = deployment.DeployBlock.ToString(CultureInfo.InvariantCulture),
        ["DATABASE_URL"] = database.Url,
        ["CONFIRMATION_BLOCKS"] = ChaosOptions.ConfirmationBlocks.ToString(CultureInfo.InvariantCulture),
        ["MAX_BLOCK_RANGE"] = "8",
        ["POLL_INTERVAL_MS"] = "100",
        ["RPC_TIMEOUT_MS"] = "1000",
        ["RPC_MAX_RETRIES"] = "3",
        ["WRITER_LOCK_POLL_MS"] = "200",
        ["HEARTBEAT_INTERVAL_MS"] = "500",
        ["PROOF_INTERVAL_MS"] = "1000",
    };

    private static ChildProcess StartWorker(IReadOnlyDictionary<string, string> environment) =>
        ChildProcess.StartIndexerWorker([], FreePort.WithMetricsPort(environment));

    private static Task WaitForIngestionAsync(ChaosDatabase database, long block, TimeSpan timeout, IReadOnlyList<ChildProcess>? workers = null) =>
        Eventually.TrueAsync(
            async () => await database.LastIngestedBlockAsync() >= block,
            timeout,
            () => $"the workers should ingest up to block {block}\n" +
                  string.Join("\n---\n", (workers ?? []).Select(worker => string.Join('\n', worker.Output.Split('\n').TakeLast(15)))));

    private static Task WaitForProofAsync(ChaosDatabase database, long block) =>
        Eventually.TrueAsync(
            async () => (await database.ProofAsync())?.CoveredBlock >= block,
            ConvergenceTimeout,
            $"a determinism proof should cover block {block}");
}
