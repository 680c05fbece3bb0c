using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Simulator.Bulk;
using Simulator.Contract;
using TestSupport;

namespace Simulator.Tests;

[NonParallelizable]
public sealed class BulkSimulatorTests
{
    private const int Workflows = 400;
    private const int EventsPerBlock = 90;
    private const int EmptyBlocks = 4;

    private AnvilNode anvil = null!;
    private BulkResult result = null!;
    private List<DecodedLog> logs = null!;

    [OneTimeSetUp]
    public async Task RunBulkSimulationOnAFreshAnvil()
    {
        anvil = await AnvilNode.StartAsync();
        result = await BulkSimulator.RunAsync(
            new BulkOptions(anvil.RpcUrl, Workflows, Seed: 9, EventsPerBlock, EmptyBlocks), progress: null, CancellationToken.None);
        logs = await ReadLogsAsync();
    }

    [OneTimeTearDown]
    public async Task StopAnvil() => await anvil.DisposeAsync();

    [Test]
    public void EveryStatusOccursAndTheCountsAddUp()
    {
        var expected = result.Expected;
        Assert.Multiple(() =>
        {
            Assert.That(expected.Total, Is.EqualTo(Workflows));
            Assert.That(new[] { expected.Running, expected.Completed, expected.Failed, expected.Rejected }, Has.All.Positive);
            Assert.That(expected.Running + expected.Completed + expected.Failed + expected.Rejected, Is.EqualTo(Workflows));
        });
    }

    [Test]
    public void TheExpectedTotalsAreWhatTheChainHolds()
    {
        var byType = logs.GroupBy(log => log.Type).ToDictionary(group => group.Key, group => (long)group.Count());
        var settled = logs.Where(log => log.Type == "PAYMENT_EXECUTED").Aggregate(BigInteger.Zero, (sum, log) => sum + log.Amount);

        Assert.Multiple(() =>
        {
            Assert.That(result.Totals.EventsByType, Is.EquivalentTo(byType));
            Assert.That(result.Totals.SettledTotal, Is.EqualTo(settled));
            Assert.That(logs.Select(log => log.Block), Has.All.InRange(result.DeployBlock + 1, result.LastBlock));
            Assert.That(logs.Select(log => log.Block).Distinct().Count(), Is.EqualTo(result.BlocksWithEvents));
        });
    }

    [Test]
    public void BlocksHoldManyEventsFromFewTransactions()
    {
        var blocks = logs.GroupBy(log => log.Block).ToList();

        Assert.That(blocks.Max(block => block.Count()), Is.InRange(EventsPerBlock / 2, EventsPerBlock * 2));
        Assert.That(result.Transactions, Is.LessThan(logs.Count / 3));
    }

    [Test]
    public void WorkflowsSpanSeveralBlocksAndEmptyBlocksLieBetween()
    {
        var blocksPerWorkflow = logs.GroupBy(log => log.WorkflowId).Select(workflow => workflow.Select(log => log.Block).Distinct().Count()).ToList();
        var eventBlocks = logs.Select(log => log.Block).Distinct().Order().ToList();
        var gaps = eventBlocks.Zip(eventBlocks.Skip(1), (earlier, later) => later - earlier).ToList();

        Assert.That(blocksPerWorkflow, Has.Some.GreaterThanOrEqualTo(3));
        Assert.That(gaps, Has.All.EqualTo(EmptyBlocks + 1));
    }

    [Test]
    public void SomePaymentsExceedAULong()
    {
        var amounts = logs.Where(log => log.Type == "PAYMENT_EXECUTED").Select(log => log.Amount).ToList();

        Assert.That(amounts, Has.Some.GreaterThan(new BigInteger(ulong.MaxValue)));
    }

    // WorkflowStarted -> WORKFLOW_STARTED, as the observer names event types.
    private static string TypeOf(string eventName) =>
        string.Concat(eventName.Select((letter, index) => index > 0 && char.IsUpper(letter) ? "_" + letter : letter.ToString())).ToUpperInvariant();

    private sealed record DecodedLog(string Type, string WorkflowId, long Block, BigInteger Amount);

    private async Task<List<DecodedLog>> ReadLogsAsync()
    {
        var abi = new ContractBuilder(ContractArtifact.Load().Abi, result.ContractAddress).ContractABI;
        var filter = new NewFilterInput
        {
            Address = [result.ContractAddress],
            FromBlock = new BlockParameter((ulong)result.DeployBlock),
            ToBlock = new BlockParameter((ulong)result.LastBlock + 10),
        };
        var raw = await new Web3(anvil.RpcUrl).Eth.Filters.GetLogs.SendRequestAsync(filter);
        return raw.Select(log =>
        {
            var eventAbi = abi.Events.Single(candidate => candidate.IsTopicSignatureForEvent(log.Topics[0]));
            var values = eventAbi.DecodeEventDefaultTopics(log).Event;
            var amount = values.SingleOrDefault(value => value.Parameter.Name == "amount")?.Result is BigInteger paid ? paid : BigInteger.Zero;
            return new DecodedLog(TypeOf(eventAbi.Name), (string)log.Topics[1], (long)log.BlockNumber.Value, amount);
        }).ToList();
    }
}
