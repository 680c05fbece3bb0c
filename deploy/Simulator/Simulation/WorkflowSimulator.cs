using System.Numerics;
using Simulator.Chain;
using Simulator.Contract;

namespace Simulator.Simulation;

/// <summary>
/// Deploys the X402Workflow contract to a dev chain and drives seeded workflows through it.
/// Needs a node that keeps its first ten dev accounts unlocked (anvil): accounts 0–4 start and pay,
/// accounts 5–9 receive payments. While it runs it mines by hand; afterwards it restores the
/// node's automine setting.
/// </summary>
public static class WorkflowSimulator
{
    private const long DeploymentGas = 3_000_000;
    private const int AccountsNeeded = 10;

    public static async Task<Deployment> DeployAsync(string rpcUrl, CancellationToken cancellationToken)
    {
        var chain = new DevChain(rpcUrl);
        var accounts = await GetDevAccountsAsync(chain);
        await using var mining = await ManualMining.BeginAsync(chain);
        cancellationToken.ThrowIfCancellationRequested();

        var transactionHash = await chain.SendAsync(accounts[0], null, ContractArtifact.Load().Bytecode, DeploymentGas, BigInteger.Zero);
        var block = await chain.MineAsync();
        var receipt = block.Receipts.SingleOrDefault(candidate => candidate.TransactionHash == transactionHash)
            ?? throw new InvalidOperationException($"The deployment transaction {transactionHash} was not mined.");
        if (receipt.Status.Value != BigInteger.One || receipt.ContractAddress is null)
        {
            throw new InvalidOperationException($"The deployment transaction {transactionHash} failed.");
        }

        return new Deployment(rpcUrl, await chain.GetChainIdAsync(), receipt.ContractAddress.ToLowerInvariant(), block.Number);
    }

    /// <summary>Uses a contract that is already deployed; its deploy block is taken to be the current head.</summary>
    public static async Task<Deployment> AttachAsync(string rpcUrl, string contractAddress, CancellationToken cancellationToken)
    {
        var chain = new DevChain(rpcUrl);
        var code = await chain.GetCodeAsync(contractAddress);
        if (string.IsNullOrEmpty(code) || code == "0x")
        {
            throw new ArgumentException($"No contract is deployed at {contractAddress}.", nameof(contractAddress));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new Deployment(rpcUrl, await chain.GetChainIdAsync(), contractAddress.ToLowerInvariant(), await chain.GetHeadAsync());
    }

    /// <summary>Drives <see cref="SimulationOptions.Workflows"/> workflows to their planned fates.</summary>
    public static async Task<SimulationResult> RunAsync(SimulationOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        var deployment = await DeployOrAttachAsync(options, cancellationToken);
        var chain = new DevChain(options.RpcUrl);
        var accounts = await GetDevAccountsAsync(chain);
        var random = new Random(options.Seed);
        var planner = new WorkflowPlanner(random, accounts[..5], accounts[5..]);
        var plans = planner.DrawFates(options.Workflows).Select(planner.Plan).ToList();
        var engine = new SimulationEngine(chain, deployment.ContractAddress, random, accounts[..5]);

        await using var mining = await ManualMining.BeginAsync(chain);
        var workflows = new List<TrackedWorkflow>(plans.Count);
        var lastBlock = deployment.DeployBlock;
        while (workflows.Count < plans.Count || engine.InFlight > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var starts = plans.Skip(workflows.Count).Take(options.WorkflowsPerBlock).ToList();
            var outcome = await engine.MineRoundAsync(starts);
            workflows.AddRange(outcome.Started);
            lastBlock = outcome.LastBlock;
        }

        var simulated = workflows.Select(workflow => workflow.ToSimulatedWorkflow()).ToList();
        return new SimulationResult(
            deployment.RpcUrl,
            deployment.ChainId,
            deployment.ContractAddress,
            deployment.DeployBlock,
            lastBlock,
            CountByStatus(simulated),
            simulated,
            ExpectedTotals.Of(simulated.SelectMany(workflow => workflow.Events)));
    }

    /// <summary>
    /// Mines one block per <paramref name="interval"/>, each starting up to
    /// <see cref="SimulationOptions.WorkflowsPerBlock"/> new workflows and advancing others, until cancelled
    /// (then it throws <see cref="OperationCanceledException"/>).
    /// </summary>
    public static async Task RunContinuouslyAsync(
        SimulationOptions options,
        TimeSpan interval,
        IProgress<SimulationProgress>? progress,
        CancellationToken cancellationToken)
    {
        options.Validate();
        var deployment = await DeployOrAttachAsync(options, cancellationToken);
        var chain = new DevChain(options.RpcUrl);
        var accounts = await GetDevAccountsAsync(chain);
        var random = new Random(options.Seed);
        var planner = new WorkflowPlanner(random, accounts[..5], accounts[5..]);
        var engine = new SimulationEngine(chain, deployment.ContractAddress, random, accounts[..5]);

        await using var mining = await ManualMining.BeginAsync(chain);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var starts = Enumerable.Range(0, random.Next(options.WorkflowsPerBlock + 1))
                .Select(_ => planner.Plan(planner.DrawFate()))
                .ToList();
            var outcome = await engine.MineRoundAsync(starts);
            progress?.Report(engine.Progress(outcome));
            await Task.Delay(interval, cancellationToken);
        }
    }

    internal static Task<Deployment> DeployOrAttachAsync(SimulationOptions options, CancellationToken cancellationToken) =>
        options.ContractAddress is null
            ? DeployAsync(options.RpcUrl, cancellationToken)
            : AttachAsync(options.RpcUrl, options.ContractAddress, cancellationToken);

    internal static async Task<string[]> GetDevAccountsAsync(DevChain chain)
    {
        var accounts = await chain.GetAccountsAsync();
        if (accounts.Length < AccountsNeeded)
        {
            throw new InvalidOperationException(
                $"The node offers {accounts.Length} unlocked accounts; the simulator needs {AccountsNeeded} (anvil's defaults).");
        }

        return accounts.Take(AccountsNeeded).Select(account => account.ToLowerInvariant()).ToArray();
    }

    private static ExpectedCounts CountByStatus(IReadOnlyList<SimulatedWorkflow> workflows) =>
        ExpectedCounts.Of(workflows.Select(workflow => workflow.ExpectedStatus).ToList());
}
