using System.Globalization;
using System.Numerics;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Simulator.Chain;
using Simulator.Contract;
using Simulator.Simulation;

namespace Simulator.Bulk;

/// <summary>
/// The bulk mode: blocks of about <see cref="BulkOptions.EventsPerBlock"/> events, each transaction a
/// batch call for many workflows. Every block, each workflow in flight takes its next step with
/// probability 0.6 (so workflows span several blocks) and new starts fill up the rest. The expected
/// result is counted from the mined logs and checked against the plans before it is returned.
/// </summary>
public static class BulkSimulator
{
    private const double AdvanceProbability = 0.6;
    private const int MaxBlocksPerRound = 100;
    private const int ProgressEveryRounds = 50;
    private static readonly BigInteger PayerBalance = BigInteger.Pow(10, 27);

    public static async Task<BulkResult> RunAsync(BulkOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        options.Validate();
        var deployment = await WorkflowSimulator.DeployOrAttachAsync(
            new SimulationOptions(options.RpcUrl, options.Workflows, options.Seed, ContractAddress: options.ContractAddress), cancellationToken);
        var chain = new DevChain(options.RpcUrl);
        var accounts = await WorkflowSimulator.GetDevAccountsAsync(chain);
        var random = new Random(options.Seed);
        var planner = new WorkflowPlanner(random, accounts[..5], accounts[5..]);
        var workflows = planner.DrawFates(options.Workflows).Select(fate => new BulkWorkflow(planner.Plan(fate))).ToList();
        var contract = new ContractBuilder(ContractArtifact.Load().Abi, deployment.ContractAddress);
        var calls = new BatchCalls(contract, accounts[0]);
        var tally = new LogTally(contract.ContractABI);

        await using var mining = await ManualMining.BeginAsync(chain);
        var inFlight = new List<BulkWorkflow>();
        var started = 0;
        var rounds = 0;
        var transactions = 0;
        var blocksWithEvents = 0;
        var lastBlock = deployment.DeployBlock;
        while (started < workflows.Count || inFlight.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (rounds > 0 && options.EmptyBlocksBetween > 0)
            {
                await chain.MineEmptyAsync(options.EmptyBlocksBetween);
            }

            foreach (var payer in accounts[..5])
            {
                await chain.SetBalanceAsync(payer, PayerBalance);
            }

            var advancing = inFlight.Where(_ => random.NextDouble() < AdvanceProbability).ToList();
            if (advancing.Count == 0 && started == workflows.Count)
            {
                advancing = inFlight.ToList(); // nothing left to start: never mine a block of nothing
            }

            var room = options.EventsPerBlock - advancing.Sum(workflow => workflow.NextStepEvents);
            var startCount = Math.Clamp(room, advancing.Count == 0 ? 1 : 0, workflows.Count - started);
            var stepping = workflows.GetRange(started, startCount).Concat(advancing).ToList();
            started += startCount;

            var batch = calls.For(stepping).ToArray();
            random.Shuffle(batch);
            var pending = new Dictionary<string, BatchCall>(StringComparer.OrdinalIgnoreCase);
            foreach (var call in batch)
            {
                pending.Add(await chain.SendAsync(call.From, deployment.ContractAddress, call.Data, call.Gas, call.Value), call);
            }

            var round = await MineUntilIncludedAsync(chain, pending, deployment.ContractAddress, tally);
            lastBlock = round.LastBlock;
            blocksWithEvents += round.BlocksWithEvents;
            transactions += batch.Length;
            inFlight.AddRange(stepping.Where(workflow => workflow.NextStep == WorkflowStep.Start));
            foreach (var workflow in stepping)
            {
                workflow.StepMined();
            }

            inFlight.RemoveAll(workflow => !workflow.HasNextStep);
            if (++rounds % ProgressEveryRounds == 0)
            {
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"block {lastBlock}: {started} of {workflows.Count} workflows started, {inFlight.Count} in flight, {tally.Events} events"));
            }
        }

        var plans = workflows.Select(workflow => workflow.Plan).ToList();
        var totals = tally.ToTotals();
        EnsureLogsMatchPlans(plans, totals);
        return new BulkResult(
            deployment.RpcUrl,
            deployment.ChainId,
            deployment.ContractAddress,
            deployment.DeployBlock,
            lastBlock,
            blocksWithEvents,
            transactions,
            ExpectedCounts.Of(plans.Select(plan => plan.Fate.ExpectedStatus()).ToList()),
            totals);
    }

    private sealed record RoundBlocks(long LastBlock, int BlocksWithEvents);

    private static async Task<RoundBlocks> MineUntilIncludedAsync(
        DevChain chain, Dictionary<string, BatchCall> pending, string contractAddress, LogTally tally)
    {
        var blocksWithEvents = 0;
        for (var attempt = 0; attempt < MaxBlocksPerRound; attempt++)
        {
            var block = await chain.MineAsync();
            var included = block.Receipts.Where(receipt => pending.ContainsKey(receipt.TransactionHash)).ToList();
            foreach (var receipt in included)
            {
                var call = pending[receipt.TransactionHash];
                pending.Remove(receipt.TransactionHash);
                RecordCall(call, receipt, contractAddress, tally);
            }

            blocksWithEvents += included.Count > 0 ? 1 : 0;
            if (pending.Count == 0)
            {
                return new RoundBlocks(block.Number, blocksWithEvents);
            }
        }

        throw new InvalidOperationException($"{pending.Count} batch transactions were still not mined after {MaxBlocksPerRound} blocks.");
    }

    private static void RecordCall(BatchCall call, TransactionReceipt receipt, string contractAddress, LogTally tally)
    {
        if (receipt.Status.Value != BigInteger.One)
        {
            throw new InvalidOperationException($"Batch {call.Step} of {call.Workflows.Count} workflows reverted in transaction {receipt.TransactionHash}.");
        }

        var logs = receipt.Logs
            .Where(log => string.Equals(log.Address, contractAddress, StringComparison.OrdinalIgnoreCase))
            .OrderBy(log => log.LogIndex.Value)
            .ToList();
        if (logs.Count != call.ExpectedLogs)
        {
            throw new InvalidOperationException(
                $"Batch {call.Step} in transaction {receipt.TransactionHash} emitted {logs.Count} logs, not {call.ExpectedLogs}.");
        }

        if (call.Step == WorkflowStep.Start)
        {
            for (var index = 0; index < logs.Count; index++)
            {
                call.Workflows[index].Id = Convert.FromHexString(((string)logs[index].Topics[1])[2..]);
            }
        }

        foreach (var log in logs)
        {
            tally.Add(log);
        }
    }

    private static void EnsureLogsMatchPlans(IReadOnlyList<WorkflowPlan> plans, ExpectedTotals mined)
    {
        long Count(Func<IReadOnlyList<WorkflowStep>, int> perWorkflow) => plans.Sum(plan => (long)perWorkflow(plan.Fate.Steps()));
        var planned = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["WORKFLOW_STARTED"] = plans.Count,
            ["DECISION_RECORDED"] = Count(steps => steps.Count(step => step is WorkflowStep.Approve or WorkflowStep.Reject)),
            ["PAYMENT_EXECUTED"] = Count(steps => steps.Count(step => step == WorkflowStep.Pay)),
            ["WORKFLOW_COMPLETED"] = Count(steps => steps.Count(step => step == WorkflowStep.Complete)),
            ["WORKFLOW_FAILED"] = Count(steps => steps.Count(step => step is WorkflowStep.Reject or WorkflowStep.Fail)),
        };
        var plannedSettled = plans.Where(plan => plan.Fate.Steps().Contains(WorkflowStep.Pay))
            .Aggregate(BigInteger.Zero, (sum, plan) => sum + plan.Amount);
        var differing = planned.Where(entry => mined.EventsByType[entry.Key] != entry.Value).Select(entry => entry.Key).ToList();
        if (differing.Count > 0 || plannedSettled != mined.SettledTotal)
        {
            throw new InvalidOperationException(
                $"The mined logs differ from the plans: {string.Join(", ", differing.Select(type => $"{type} {mined.EventsByType[type]} mined, {planned[type]} planned"))}; settled {mined.SettledTotal} mined, {plannedSettled} planned.");
        }
    }
}
