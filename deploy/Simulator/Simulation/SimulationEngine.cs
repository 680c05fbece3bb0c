using System.Numerics;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Simulator.Chain;
using Simulator.Contract;

namespace Simulator.Simulation;

/// <summary>What one round put on chain.</summary>
internal sealed record RoundOutcome(long LastBlock, int Transactions, IReadOnlyList<TrackedWorkflow> Started);

/// <summary>
/// Drives workflows round by round: each round sends new starts plus one next step for a random
/// subset of the workflows in flight, in shuffled order, then mines them into one block.
/// </summary>
internal sealed class SimulationEngine
{
    // Well above what any call costs (startWorkflow, the most expensive, is under 100k).
    private const long StepGas = 200_000;
    private const double AdvanceProbability = 0.6;
    private const int MaxBlocksPerRound = 10;

    // Payments move ether from initiators to recipients; a long continuous run would drain them.
    private const int TopUpEveryRounds = 100;
    private static readonly BigInteger TopUpBalance = BigInteger.Pow(10, 22);

    private readonly DevChain chain;
    private readonly string contractAddress;
    private readonly Random random;
    private readonly IReadOnlyList<string> payers;
    private readonly ContractBuilder contract;
    private readonly WorkflowEventDecoder decoder;
    private readonly List<TrackedWorkflow> inFlight = [];
    private readonly Dictionary<string, int> statusCounts = new(StringComparer.Ordinal);
    private int rounds;
    private int started;

    public SimulationEngine(DevChain chain, string contractAddress, Random random, IReadOnlyList<string> payers)
    {
        this.chain = chain;
        this.contractAddress = contractAddress;
        this.random = random;
        this.payers = payers;
        contract = new ContractBuilder(ContractArtifact.Load().Abi, contractAddress);
        decoder = new WorkflowEventDecoder(contract.ContractABI);
    }

    public int InFlight => inFlight.Count;

    public async Task<RoundOutcome> MineRoundAsync(IReadOnlyList<WorkflowPlan> starts)
    {
        if (rounds++ % TopUpEveryRounds == 0)
        {
            await TopUpPayersAsync();
        }

        var newWorkflows = starts.Select(plan => new TrackedWorkflow(plan)).ToList();
        var calls = newWorkflows
            .Concat(inFlight.Where(_ => random.NextDouble() < AdvanceProbability))
            .ToArray();
        random.Shuffle(calls);

        var pending = new Dictionary<string, TrackedWorkflow>(StringComparer.OrdinalIgnoreCase);
        foreach (var workflow in calls)
        {
            pending.Add(await SendNextStepAsync(workflow), workflow);
        }

        inFlight.AddRange(newWorkflows);
        started += newWorkflows.Count;
        var lastBlock = await MineUntilIncludedAsync(pending);

        foreach (var finished in inFlight.Where(workflow => !workflow.HasNextStep))
        {
            statusCounts[finished.ExpectedStatus] = statusCounts.GetValueOrDefault(finished.ExpectedStatus) + 1;
        }

        inFlight.RemoveAll(workflow => !workflow.HasNextStep);
        return new RoundOutcome(lastBlock, calls.Length, newWorkflows);
    }

    public SimulationProgress Progress(RoundOutcome outcome) => new(
        outcome.LastBlock,
        outcome.Transactions,
        started,
        Running: statusCounts.GetValueOrDefault("running") + inFlight.Count,
        Completed: statusCounts.GetValueOrDefault("completed"),
        Failed: statusCounts.GetValueOrDefault("failed"),
        Rejected: statusCounts.GetValueOrDefault("rejected"));

    private async Task TopUpPayersAsync()
    {
        foreach (var payer in payers)
        {
            await chain.SetBalanceAsync(payer, TopUpBalance);
        }
    }

    private Task<string> SendNextStepAsync(TrackedWorkflow workflow)
    {
        var plan = workflow.Plan;
        return workflow.NextStep switch
        {
            WorkflowStep.Start => Call(plan.Initiator, "startWorkflow"),
            WorkflowStep.Approve => Call(plan.Initiator, "recordDecision", IdOf(workflow), true, plan.DecisionReason),
            WorkflowStep.Reject => Call(plan.Initiator, "recordDecision", IdOf(workflow), false, plan.DecisionReason),
            WorkflowStep.Pay => chain.SendAsync(plan.Payer, contractAddress, Data("executePayment", IdOf(workflow), plan.Recipient), StepGas, plan.Amount),
            WorkflowStep.Complete => Call(plan.Initiator, "completeWorkflow", IdOf(workflow)),
            WorkflowStep.Fail => Call(plan.Initiator, "failWorkflow", IdOf(workflow), plan.FailureReason),
            _ => throw new InvalidOperationException($"Unknown step {workflow.NextStep}."),
        };
    }

    private Task<string> Call(string from, string function, params object[] arguments) =>
        chain.SendAsync(from, contractAddress, Data(function, arguments), StepGas, BigInteger.Zero);

    private string Data(string function, params object[] arguments) =>
        contract.GetFunctionBuilder(function).GetData(arguments);

    private static byte[] IdOf(TrackedWorkflow workflow) =>
        Convert.FromHexString((workflow.Id ?? throw new InvalidOperationException("The workflow has no id yet."))[2..]);

    /// <returns>The last block mined.</returns>
    private async Task<long> MineUntilIncludedAsync(Dictionary<string, TrackedWorkflow> pending)
    {
        for (var attempt = 0; attempt < MaxBlocksPerRound; attempt++)
        {
            var block = await chain.MineAsync();
            foreach (var receipt in block.Receipts.Where(receipt => pending.ContainsKey(receipt.TransactionHash)))
            {
                var workflow = pending[receipt.TransactionHash];
                pending.Remove(receipt.TransactionHash);
                RecordStep(workflow, receipt, block.Timestamp);
            }

            if (pending.Count == 0)
            {
                return block.Number;
            }
        }

        throw new InvalidOperationException($"{pending.Count} transactions were still not mined after {MaxBlocksPerRound} blocks.");
    }

    private void RecordStep(TrackedWorkflow workflow, TransactionReceipt receipt, long blockTimestamp)
    {
        if (receipt.Status.Value != BigInteger.One)
        {
            throw new InvalidOperationException(
                $"Step {workflow.NextStep} of workflow {workflow.Id ?? "(new)"} reverted in transaction {receipt.TransactionHash}.");
        }

        var events = receipt.Logs
            .Where(log => string.Equals(log.Address, contractAddress, StringComparison.OrdinalIgnoreCase))
            .OrderBy(log => log.LogIndex.Value)
            .Select(log => decoder.Decode(log, receipt, blockTimestamp))
            .ToList();
        workflow.RecordMinedStep(events);
    }
}
