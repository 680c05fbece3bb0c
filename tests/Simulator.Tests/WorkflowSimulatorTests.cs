using TestSupport;
using System.Numerics;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Simulator.Contract;
using Simulator.Simulation;

namespace Simulator.Tests;

[NonParallelizable]
public sealed class WorkflowSimulatorTests
{
    private const int Workflows = 40;
    private const int Seed = 42;

    private AnvilNode anvil = null!;
    private SimulationResult result = null!;

    [OneTimeSetUp]
    public async Task RunSimulationOnAFreshAnvil()
    {
        anvil = await AnvilNode.StartAsync();
        result = await WorkflowSimulator.RunAsync(new SimulationOptions(anvil.RpcUrl, Workflows, Seed), CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAnvil() => await anvil.DisposeAsync();

    [Test]
    public void ExpectedCountsAddUpAndEveryStatusOccurs()
    {
        var expected = result.Expected;
        Assert.Multiple(() =>
        {
            Assert.That(expected.Total, Is.EqualTo(Workflows));
            Assert.That(result.Workflows, Has.Count.EqualTo(Workflows));
            Assert.That(expected.Running + expected.Completed + expected.Failed + expected.Rejected, Is.EqualTo(expected.Total));
            Assert.That(new[] { expected.Running, expected.Completed, expected.Failed, expected.Rejected }, Has.All.Positive);
            Assert.That(result.ChainId, Is.EqualTo(31337));
            Assert.That(result.Workflows.SelectMany(workflow => workflow.Events).Select(e => e.BlockNumber),
                Has.All.InRange(result.DeployBlock + 1, result.LastBlock));
        });
    }

    [Test]
    public void EveryWorkflowEndsWithTheEventsItsStatusImplies()
    {
        foreach (var workflow in result.Workflows)
        {
            var types = workflow.Events.Select(e => e.EventType).ToList();
            Assert.That(types[0], Is.EqualTo("WORKFLOW_STARTED"), workflow.WorkflowId);
            var last = types[^1];
            switch (workflow.ExpectedStatus)
            {
                case "completed":
                    Assert.That(last, Is.EqualTo("WORKFLOW_COMPLETED"), workflow.WorkflowId);
                    break;
                case "rejected":
                    Assert.That(workflow.Events[^2].Approved, Is.False, workflow.WorkflowId);
                    Assert.That(workflow.Events[^2].TxHash, Is.EqualTo(workflow.Events[^1].TxHash), "rejection and failure share a transaction");
                    break;
                case "failed":
                    Assert.That(last, Is.EqualTo("WORKFLOW_FAILED"), workflow.WorkflowId);
                    Assert.That(types, Does.Not.Contain("WORKFLOW_COMPLETED"), workflow.WorkflowId);
                    break;
                default:
                    Assert.That(last, Is.AnyOf("WORKFLOW_STARTED", "DECISION_RECORDED", "PAYMENT_EXECUTED"), workflow.WorkflowId);
                    break;
            }
        }
    }

    [Test]
    public void IdsAndAddressesAreLowercaseHex()
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.Workflows.Select(w => w.WorkflowId), Has.All.Match("^0x[0-9a-f]{64}$"));
            Assert.That(result.Workflows.Select(w => w.Initiator), Has.All.Match("^0x[0-9a-f]{40}$"));
            Assert.That(result.ContractAddress, Does.Match("^0x[0-9a-f]{40}$"));
        });
    }

    [Test]
    public void SeveralWorkflowsShareABlock()
    {
        var busiestBlock = result.Workflows
            .SelectMany(workflow => workflow.Events.Select(e => (e.BlockNumber, workflow.WorkflowId)))
            .Distinct()
            .GroupBy(pair => pair.BlockNumber)
            .Max(block => block.Count());

        Assert.That(busiestBlock, Is.GreaterThan(1));
    }

    [Test]
    public void EventsAreInCanonicalOrder()
    {
        foreach (var workflow in result.Workflows)
        {
            var keys = workflow.Events.Select(e => (e.BlockNumber, e.TransactionIndex, e.LogIndex)).ToList();
            Assert.That(keys, Is.Ordered.Ascending.And.Unique, workflow.WorkflowId);
        }
    }

    [Test]
    public void SomePaymentsExceedAULong()
    {
        var amounts = result.Workflows.SelectMany(w => w.Events).Where(e => e.EventType == "PAYMENT_EXECUTED").Select(e => e.Amount!.Value).ToList();

        Assert.That(amounts, Has.Some.GreaterThan(new BigInteger(ulong.MaxValue)));
        Assert.That(amounts, Has.Some.LessThan(new BigInteger(ulong.MaxValue)));
    }

    [Test]
    public async Task TheSameSeedPlansTheSameWorkflows()
    {
        var again = await WorkflowSimulator.RunAsync(
            new SimulationOptions(anvil.RpcUrl, Workflows, Seed, ContractAddress: result.ContractAddress), CancellationToken.None);

        Assert.That(again.Expected, Is.EqualTo(result.Expected));
        Assert.That(again.Workflows.Select(Shape), Is.EqualTo(result.Workflows.Select(Shape)));

        static string Shape(SimulatedWorkflow workflow) =>
            $"{workflow.Initiator} {workflow.ExpectedStatus} {string.Join(',', workflow.Events.Select(e => $"{e.EventType}/{e.Reason}/{e.To}/{e.Amount}"))}";
    }

    [Test]
    public void CompletingAnActiveWorkflowReverts()
    {
        var active = result.Workflows.First(workflow => workflow.Events is [{ EventType: "WORKFLOW_STARTED" }]);
        var contract = new Web3(anvil.RpcUrl).Eth.GetContract(ContractArtifact.Load().Abi, result.ContractAddress);
        var completeWorkflow = contract.GetFunction("completeWorkflow");
        var call = new CallInput(completeWorkflow.GetData(Convert.FromHexString(active.WorkflowId[2..])), result.ContractAddress)
        {
            From = active.Initiator,
        };

        var revert = Assert.ThrowsAsync<RpcResponseException>(() => new Web3(anvil.RpcUrl).Eth.Transactions.Call.SendRequestAsync(call));

        var notSettled = contract.ContractBuilder.ContractABI.Errors.Single(error => error.Name == "WorkflowNotSettled");
        Assert.That(revert!.RpcError.Data?.ToString(), Does.StartWith(notSettled.Sha3Signature.Insert(0, "0x")));
    }
}
