using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Core.Domain.Events;
using Indexer.Worker.Chain;
using Indexer.Worker.EventLog;
using Indexer.Worker.Ingestion;
using Indexer.Worker.Status;
using ServiceDefaults.Configuration;
using Npgsql;

namespace Query.Api.Tests.Support;

/// <summary>
/// A small, fixed history written through the worker's own write path (RangeCommitter): four
/// workflows, one per status, spread over blocks 100..110 in three ranges.
/// Newest first (by first event): Running (105), Failed (102), Rejected (100/1), Completed (100/0).
/// </summary>
internal static class Seed
{
    public const long ChainId = 31337;
    public const string Contract = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    public const long StartBlock = 100;
    public const long LastBlock = 110;
    public const long ChainHead = 115;
    public const long ConfirmedHead = 112;
    public const int EventCount = 12;
    public const string WorkerInstanceId = "query-api-tests";

    /// <summary>2^70 + 5: more than a ulong or a decimal's 96 bits hold exactly.</summary>
    public static readonly BigInteger PaymentAmount = BigInteger.Pow(2, 70) + 5;
    public const string PaymentAmountText = "1180591620717411303429";

    public static readonly string Completed = WorkflowId("completed");
    public static readonly string Rejected = WorkflowId("rejected");
    public static readonly string Failed = WorkflowId("failed");
    public static readonly string Running = WorkflowId("running");

    /// <summary>Every seeded id, newest first.</summary>
    public static readonly string[] NewestFirst = [Running, Failed, Rejected, Completed];

    public const string Alice = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    public const string Bob = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
    public const string Carol = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    public const string Dave = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
    public const string Approver = "0x9965507d1a55bcb2695c58ba16fb37d819b0a4dc";
    public const string Payee = "0x976ea74026e726554db657fa54763abd0c3a0aa9";

    public const string ApprovedReason = "budget ok";
    public const string RejectedReason = "over budget";
    public const string FailedReason = "provider timeout";

    public static long TimestampOf(long block) => 1_700_000_000 + (block * 12);

    public static string TxHashOf(long block, int transactionIndex) => Hash($"tx:{block}:{transactionIndex}");

    public static string BlockHashOf(long block) => Hash($"block:{block}");

    public static IReadOnlyList<IngestedRange> Ranges =>
    [
        Range(100, 102,
            Log(100, 0, 0, Alice, (at, ts) => new WorkflowStarted(Completed, at, ts, Alice)),
            Log(100, 1, 1, Bob, (at, ts) => new WorkflowStarted(Rejected, at, ts, Bob)),
            Log(101, 0, 0, Approver, (at, ts) => new DecisionRecorded(Completed, at, ts, true, ApprovedReason)),
            // A rejection: DecisionRecorded(false) and WorkflowFailed in the same transaction.
            Log(101, 1, 1, Approver, (at, ts) => new DecisionRecorded(Rejected, at, ts, false, RejectedReason)),
            Log(101, 1, 2, Approver, (at, ts) => new WorkflowFailed(Rejected, at, ts, RejectedReason)),
            Log(102, 0, 0, Carol, (at, ts) => new WorkflowStarted(Failed, at, ts, Carol))),
        Range(103, 105,
            Log(103, 0, 0, Alice, (at, ts) => new PaymentExecuted(Completed, at, ts, Alice, Payee, PaymentAmount)),
            Log(103, 1, 1, Approver, (at, ts) => new DecisionRecorded(Failed, at, ts, true, ApprovedReason)),
            Log(104, 0, 0, Alice, (at, ts) => new WorkflowCompleted(Completed, at, ts)),
            Log(104, 1, 1, Approver, (at, ts) => new WorkflowFailed(Failed, at, ts, FailedReason)),
            Log(105, 0, 0, Dave, (at, ts) => new WorkflowStarted(Running, at, ts, Dave))),
        Range(106, LastBlock,
            Log(106, 0, 0, Approver, (at, ts) => new DecisionRecorded(Running, at, ts, true, ApprovedReason))),
    ];

    /// <summary>Writes the history as the worker would: checkpoint, then each range in one transaction, then the worker's status row.</summary>
    public static async Task WriteAsync(string adminDatabaseUrl)
    {
        await using var database = NpgsqlDataSource.Create(DatabaseUrl.Parse(adminDatabaseUrl));
        await using (var connection = await database.OpenConnectionAsync())
        {
            await CheckpointStore.GetOrCreateAsync(connection, ChainId, Contract, StartBlock);
        }

        var stored = 0;
        await using (var connection = await database.OpenConnectionAsync())
        {
            foreach (var range in Ranges)
            {
                stored += await RangeCommitter.CommitAsync(connection, range, ChainId, Contract, CancellationToken.None);
            }
        }

        if (stored != EventCount)
        {
            throw new InvalidOperationException($"The seed stored {stored} events, expected {EventCount}.");
        }

        var status = new StatusStore(database, new WorkerInstance(WorkerInstanceId, ChainId, DateTimeOffset.UtcNow));
        await status.BecameWriterAsync(CancellationToken.None);
        await status.ChainAsync(ChainHead, ConfirmedHead, CancellationToken.None);
    }

    public static IngestedRange Range(long from, long to, params IngestedEvent[] events) =>
        new(from, to, events, SkippedLogs: 0, events.Select(log => log.Event.Position.BlockNumber).Append(to).Distinct().Order().Select(Block).ToList());

    private static ChainBlock Block(long number) => new(number, BlockHashOf(number), BlockHashOf(number - 1), TimestampOf(number));

    public static IngestedEvent Log(
        long block, int transactionIndex, int logIndex, string sender, Func<EventPosition, long, WorkflowEvent> create)
    {
        var @event = create(new EventPosition(block, transactionIndex, logIndex), TimestampOf(block));
        return new IngestedEvent(@event, TxHashOf(block, transactionIndex), sender, BlockHashOf(block));
    }

    public static string WorkflowId(string name) => Hash("workflow:" + name);

    private static string Hash(string text) =>
        "0x" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLower(CultureInfo.InvariantCulture);
}
