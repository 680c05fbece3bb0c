using System.Numerics;
using Nethereum.Contracts;
using Simulator.Simulation;

namespace Simulator.Bulk;

/// <summary>One transaction of the bulk mode: one batch function of the contract applied to several workflows.</summary>
/// <param name="ExpectedLogs">How many logs it must emit: one per workflow, two per rejection.</param>
internal sealed record BatchCall(
    string From,
    string Data,
    long Gas,
    BigInteger Value,
    WorkflowStep Step,
    IReadOnlyList<BulkWorkflow> Workflows,
    int ExpectedLogs);

/// <summary>Groups a block's steps into batch calls: by sender where the sender matters (starts: the initiator; payments: the payer), by reason where one reason goes for the batch.</summary>
internal sealed class BatchCalls(ContractBuilder contract, string operatorAccount)
{
    // Keeps every transaction far below anvil's default 30M block gas limit, whatever the step.
    private const int MaxWorkflowsPerCall = 250;
    private const long BaseGas = 100_000;

    public IEnumerable<BatchCall> For(IReadOnlyList<BulkWorkflow> stepping)
    {
        foreach (var group in stepping.GroupBy(GroupKey))
        {
            foreach (var chunk in group.Chunk(MaxWorkflowsPerCall))
            {
                yield return Call(chunk[0].NextStep, chunk);
            }
        }
    }

    private static (WorkflowStep Step, string? Key) GroupKey(BulkWorkflow workflow) => workflow.NextStep switch
    {
        WorkflowStep.Start => (WorkflowStep.Start, workflow.Plan.Initiator),
        WorkflowStep.Approve or WorkflowStep.Reject => (workflow.NextStep, workflow.Plan.DecisionReason),
        WorkflowStep.Pay => (WorkflowStep.Pay, workflow.Plan.Payer),
        WorkflowStep.Fail => (WorkflowStep.Fail, workflow.Plan.FailureReason),
        _ => (workflow.NextStep, null),
    };

    private BatchCall Call(WorkflowStep step, BulkWorkflow[] workflows)
    {
        // Not for starts: a workflow's id is known only once its start is mined.
        List<byte[]> Ids() => workflows.Select(IdOf).ToList();
        var first = workflows[0].Plan;
        return step switch
        {
            WorkflowStep.Start => Make(first.Initiator, Data("startWorkflows", new BigInteger(workflows.Length)), 60_000, BigInteger.Zero, 1),
            WorkflowStep.Approve => Make(operatorAccount, Data("recordDecisions", Ids(), true, first.DecisionReason), 40_000, BigInteger.Zero, 1),
            WorkflowStep.Reject => Make(operatorAccount, Data("recordDecisions", Ids(), false, first.DecisionReason), 50_000, BigInteger.Zero, 2),
            WorkflowStep.Pay => Make(
                first.Payer,
                Data("executePayments", Ids(), workflows.Select(workflow => workflow.Plan.Recipient).ToList(), workflows.Select(workflow => workflow.Plan.Amount).ToList()),
                70_000,
                workflows.Aggregate(BigInteger.Zero, (sum, workflow) => sum + workflow.Plan.Amount),
                1),
            WorkflowStep.Complete => Make(operatorAccount, Data("completeWorkflows", Ids()), 30_000, BigInteger.Zero, 1),
            WorkflowStep.Fail => Make(operatorAccount, Data("failWorkflows", Ids(), first.FailureReason), 40_000, BigInteger.Zero, 1),
            _ => throw new InvalidOperationException($"Unknown step {step}."),
        };

        BatchCall Make(string from, string data, long gasPerWorkflow, BigInteger value, int logsPerWorkflow) =>
            new(from, data, BaseGas + gasPerWorkflow * workflows.Length, value, step, workflows, logsPerWorkflow * workflows.Length);
    }

    private string Data(string function, params object[] arguments) => contract.GetFunctionBuilder(function).GetData(arguments);

    private static byte[] IdOf(BulkWorkflow workflow) =>
        workflow.Id ?? throw new InvalidOperationException("A workflow steps on before its start was mined.");
}
