using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Core.Domain.Events;
using Indexer.Worker.EventLog;
using Indexer.Worker.Ingestion;
using ServiceDefaults.Configuration;
using Npgsql;

namespace Query.Api.Tests.Support;

/// <summary>
/// A generated history of any size, with what the API must answer about it, written through the worker's
/// own write path (RangeCommitter). Workflow k starts in block <see cref="FirstBlock"/> + (k / 2) ×
/// <see cref="BlocksApart"/>, in transaction k % 2 (two workflows a block), takes one step a block in
/// that transaction, and follows fate k % 7. So the list, newest first, is k descending.
/// </summary>
internal static class GeneratedHistory
{
    public const long FirstBlock = 1000;

    /// <summary>444 s of block time (12 s a block): several workflows start in every hour.</summary>
    public const int BlocksApart = 37;

    public static readonly string[] Initiators = [Address("initiator:0"), Address("initiator:1"), Address("initiator:2"), Address("initiator:3")];

    public static readonly string[] Payees = [Address("payee:0"), Address("payee:1"), Address("payee:2")];

    public static GeneratedWorkflow Workflow(int k)
    {
        var id = Seed.WorkflowId($"generated:{k}");
        var start = FirstBlock + ((long)(k / 2) * BlocksApart);
        var tx = k % 2;
        var initiator = Initiators[k % Initiators.Length];
        var payee = Payees[k / 7 % Payees.Length];
        var amount = ((BigInteger.One << 64) * (k + 1)) + k + 1;
        var events = new List<IngestedEvent> { Step(start, tx, 0, initiator, (at, ts) => new WorkflowStarted(id, at, ts, initiator)) };
        var fate = k % 7;
        if (fate == 2)
        {
            // A rejection: DecisionRecorded(false) and WorkflowFailed in one transaction.
            events.Add(Step(start + 1, tx, 0, Seed.Approver, (at, ts) => new DecisionRecorded(id, at, ts, false, Seed.RejectedReason)));
            events.Add(Step(start + 1, tx, 1, Seed.Approver, (at, ts) => new WorkflowFailed(id, at, ts, Seed.RejectedReason)));
            return new GeneratedWorkflow(k, id, "rejected", initiator, null, null, start, tx, Seed.TimestampOf(start + 1), events);
        }

        events.Add(Step(start + 1, tx, 0, Seed.Approver, (at, ts) => new DecisionRecorded(id, at, ts, true, Seed.ApprovedReason)));
        if (fate == 3)
        {
            events.Add(Step(start + 2, tx, 0, Seed.Approver, (at, ts) => new WorkflowFailed(id, at, ts, Seed.FailedReason)));
            return new GeneratedWorkflow(k, id, "failed", initiator, null, null, start, tx, Seed.TimestampOf(start + 2), events);
        }

        if (fate == 4)
        {
            return new GeneratedWorkflow(k, id, "running", initiator, null, null, start, tx, null, events);
        }

        events.Add(Step(start + 2, tx, 0, initiator, (at, ts) => new PaymentExecuted(id, at, ts, initiator, payee, amount)));
        return fate switch
        {
            5 => new GeneratedWorkflow(k, id, "running", initiator, payee, amount, start, tx, null, events),
            6 => new GeneratedWorkflow(k, id, "failed", initiator, payee, amount, start, tx, Seed.TimestampOf(start + 3), [
                .. events, Step(start + 3, tx, 0, Seed.Approver, (at, ts) => new WorkflowFailed(id, at, ts, Seed.FailedReason))]),
            _ => new GeneratedWorkflow(k, id, "completed", initiator, payee, amount, start, tx, Seed.TimestampOf(start + 3), [
                .. events, Step(start + 3, tx, 0, initiator, (at, ts) => new WorkflowCompleted(id, at, ts))]),
        };
    }

    /// <summary>Workflows <paramref name="from"/> .. <paramref name="from"/> + <paramref name="count"/> − 1.</summary>
    public static IReadOnlyList<GeneratedWorkflow> Workflows(int from, int count) => Enumerable.Range(from, count).Select(Workflow).ToList();

    /// <summary>A fresh checkpoint at <see cref="FirstBlock"/>, then workflows 0 .. <paramref name="count"/> − 1 in one range.</summary>
    public static async Task WriteAsync(string adminUrl, int count)
    {
        await using var database = NpgsqlDataSource.Create(DatabaseUrl.Parse(adminUrl));
        await using var connection = await database.OpenConnectionAsync();
        await CheckpointStore.GetOrCreateAsync(connection, Seed.ChainId, Seed.Contract, FirstBlock);
        await CommitAsync(connection, FirstBlock, Workflows(0, count));
    }

    /// <summary>
    /// Commits one range from <paramref name="fromBlock"/> (the block after the checkpoint) to the last
    /// block of <paramref name="workflows"/>, holding all their events, as the worker does.
    /// </summary>
    /// <returns>The range's last block: the checkpoint now.</returns>
    public static async Task<long> CommitAsync(NpgsqlConnection connection, long fromBlock, IReadOnlyList<GeneratedWorkflow> workflows)
    {
        var events = workflows.SelectMany(workflow => workflow.Events).OrderBy(ingested => ingested.Event.Position).ToList();
        var toBlock = events[^1].Event.Position.BlockNumber;
        await RangeCommitter.CommitAsync(connection, Seed.Range(fromBlock, toBlock, [.. events]), Seed.ChainId, Seed.Contract, CancellationToken.None);
        return toBlock;
    }

    /// <summary>The address in upper-case hex (after the 0x), to show that filters match in any case.</summary>
    public static string Shouted(string address) => "0x" + address[2..].ToUpperInvariant();

    private static IngestedEvent Step(long block, int tx, int logIndex, string sender, Func<EventPosition, long, WorkflowEvent> create) =>
        Seed.Log(block, tx, logIndex, sender, create);

    private static string Address(string seed) =>
        "0x" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..40].ToLower(CultureInfo.InvariantCulture);
}

/// <summary>A generated workflow and what the API must say about it.</summary>
/// <param name="Payee">The settlement's <c>to</c>; null without a settlement.</param>
/// <param name="Amount">The settlement's amount (more than 2^64); null without a settlement.</param>
/// <param name="CompletedAt">The block time of the terminal event; null while running.</param>
internal sealed record GeneratedWorkflow(
    int Index, string Id, string Status, string Initiator, string? Payee, BigInteger? Amount, long StartBlock, int TransactionIndex,
    long? CompletedAt, IReadOnlyList<IngestedEvent> Events)
{
    public long StartedAt => Seed.TimestampOf(StartBlock);

    /// <summary>The block time of the payment (two blocks after the start).</summary>
    public long PaidAt => Seed.TimestampOf(StartBlock + 2);
}
