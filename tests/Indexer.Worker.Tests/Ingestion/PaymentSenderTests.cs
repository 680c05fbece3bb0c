using System.Text.Json;
using Indexer.Worker.Ingestion;
using NUnit.Framework;
using Simulator.Bulk;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Ingestion;

/// <summary>
/// A settlement's <c>from</c> is read from the payment's receipt, or from the transaction itself when it
/// emitted many logs (a batch): both ways must give the sender the node recorded.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PaymentSenderTests
{
    private sealed record StoredPayment(string TxHash, string TxSender, long LogsOfTransaction);

    [Test]
    public async Task TxSender_OfBatchedAndSinglePayments_IsTheSenderOfTheirTransaction()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var batched = await BulkSimulator.RunAsync(
            new BulkOptions(anvil.RpcUrl, Workflows: 600, Seed: 5, EventsPerBlock: 1460), progress: null, CancellationToken.None);
        var single = await WorkflowSimulator.RunAsync(
            new SimulationOptions(anvil.RpcUrl, Workflows: 30, Seed: 6, ContractAddress: batched.ContractAddress), CancellationToken.None);
        await anvil.MineAsync(3);
        var database = await ObservedDatabase.CreateAsync();
        await using (var worker = Processes.StartWorker(Processes.WorkerEnvironment(single with { DeployBlock = batched.DeployBlock }, database)))
        {
            await Processes.WaitForCatchUpAsync(database, single.LastBlock, worker);
        }

        var payments = await database.QueryAsync<StoredPayment>("""
            SELECT DISTINCT payment.tx_hash AS TxHash, payment.tx_sender AS TxSender,
                   (SELECT count(*) FROM chain_event e WHERE e.tx_hash = payment.tx_hash) AS LogsOfTransaction
            FROM chain_event payment
            WHERE payment.event_type = 'PAYMENT_EXECUTED'
            """);
        var recorded = new Dictionary<string, string>();
        foreach (var payment in payments)
        {
            var transaction = await anvil.CallAsync<JsonElement>("eth_getTransactionByHash", payment.TxHash);
            recorded[payment.TxHash] = transaction.GetProperty("from").GetString()!.ToLowerInvariant();
        }

        Assert.Multiple(() =>
        {
            Assert.That(payments.Count(payment => payment.LogsOfTransaction > RangeFetcher.MaxLogsForReceipt), Is.Positive, "batches read by transaction");
            Assert.That(payments.Count(payment => payment.LogsOfTransaction <= RangeFetcher.MaxLogsForReceipt), Is.Positive, "payments read by receipt");
            Assert.That(
                payments.ToDictionary(payment => payment.TxHash, payment => payment.TxSender),
                Is.EquivalentTo(recorded));
        });
    }
}
