using System.Numerics;
using Core.Domain.Events;
using Indexer.Worker.Chain;
using Indexer.Worker.Ingestion;
using Nethereum.ABI;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using NUnit.Framework;

namespace Indexer.Worker.Tests.Ingestion;

/// <summary>
/// The decoder on logs ABI-encoded here from the contract's event signatures (not from the
/// decoder's own definitions), so a signature or layout mistake in the decoder fails these tests.
/// </summary>
[TestFixture]
public sealed class LogDecoderTests
{
    private const long BlockNumber = 42;
    private const long Timestamp = 1_700_000_000;
    private const string TxHash = "0x00000000000000000000000000000000000000000000000000000000000000aa";
    private const string Sender = "0x1111111111111111111111111111111111111111";
    private const string Recipient = "0x2222222222222222222222222222222222222222";
    private static readonly string BlockHash = "0x" + new string('b', 64);
    private static readonly string WorkflowId = "0x" + new string('c', 64);

    private static readonly IReadOnlyDictionary<long, ChainBlock> Blocks = new Dictionary<long, ChainBlock>
    {
        [BlockNumber] = new(BlockNumber, BlockHash, "0x" + new string('a', 64), Timestamp),
    };

    private static readonly IReadOnlyDictionary<string, string> Senders = new Dictionary<string, string> { [TxHash] = Sender };

    [Test]
    public void Decode_EachContractEvent_GivesItsDomainEvent()
    {
        var at = new EventPosition(BlockNumber, 3, 0);
        var logs = new[]
        {
            Log("WorkflowStarted(bytes32,address)", [AddressTopic(Sender)], "0x", logIndex: 0),
            Log("DecisionRecorded(bytes32,bool,string)", [], Abi(new ABIValue("bool", true), new ABIValue("string", "looks fine")), logIndex: 1),
            Log("PaymentExecuted(bytes32,address,uint256)", [AddressTopic(Recipient)], Abi(new ABIValue("uint256", BigInteger.Pow(2, 200) + 7)), logIndex: 2),
            Log("WorkflowCompleted(bytes32)", [], "0x", logIndex: 3),
            Log("WorkflowFailed(bytes32,string)", [], Abi(new ABIValue("string", "ran out of gas")), logIndex: 4),
        };

        var decoded = LogDecoder.Decode(logs, Blocks, Senders);

        Assert.Multiple(() =>
        {
            Assert.That(decoded.SkippedLogs, Is.Zero);
            Assert.That(decoded.Events.Select(ingested => ingested.Event), Is.EqualTo(new WorkflowEvent[]
            {
                new WorkflowStarted(WorkflowId, at with { LogIndex = 0 }, Timestamp, Sender),
                new DecisionRecorded(WorkflowId, at with { LogIndex = 1 }, Timestamp, true, "looks fine"),
                new PaymentExecuted(WorkflowId, at with { LogIndex = 2 }, Timestamp, Sender, Recipient, BigInteger.Pow(2, 200) + 7),
                new WorkflowCompleted(WorkflowId, at with { LogIndex = 3 }, Timestamp),
                new WorkflowFailed(WorkflowId, at with { LogIndex = 4 }, Timestamp, "ran out of gas"),
            }));
            Assert.That(decoded.Events.Select(ingested => (ingested.TxHash, ingested.BlockHash)).Distinct(), Is.EqualTo(new[] { (TxHash, BlockHash) }));
            Assert.That(decoded.Events.Select(ingested => ingested.TxSender), Is.EqualTo(new[] { Sender, Sender, Sender, Sender, Sender }));
        });
    }

    [Test]
    public void Decode_ARejectionWithAnEmptyReason_KeepsTheEmptyReason()
    {
        var logs = new[] { Log("DecisionRecorded(bytes32,bool,string)", [], Abi(new ABIValue("bool", false), new ABIValue("string", ""))) };

        var decoded = LogDecoder.Decode(logs, Blocks, Senders);

        Assert.That(decoded.Events.Single().Event, Is.EqualTo(new DecisionRecorded(WorkflowId, new EventPosition(BlockNumber, 3, 0), Timestamp, false, "")));
    }

    [Test]
    public void Decode_AReasonWithANulCharacter_StoresAReplacementCharacter()
    {
        var logs = new[] { Log("WorkflowFailed(bytes32,string)", [], Abi(new ABIValue("string", "bad\0byte"))) };

        var decoded = LogDecoder.Decode(logs, Blocks, Senders);

        Assert.That(((WorkflowFailed)decoded.Events.Single().Event).Reason, Is.EqualTo("bad\uFFFDbyte"));
    }

    [Test]
    public void Decode_UnknownTopicsAndLogsWithoutAWorkflowTopic_AreCountedAndSkipped()
    {
        var logs = new[]
        {
            Log("SomethingElse(bytes32)", [], "0x"),
            WithTopics(Log("WorkflowCompleted(bytes32)", [], "0x", logIndex: 1), topics => topics.Take(1)),
            WithTopics(Log("WorkflowCompleted(bytes32)", [], "0x", logIndex: 2), _ => []),
            Log("WorkflowCompleted(bytes32)", [], "0x", logIndex: 3),
        };

        var decoded = LogDecoder.Decode(logs, Blocks, Senders);

        Assert.Multiple(() =>
        {
            Assert.That(decoded.SkippedLogs, Is.EqualTo(3));
            Assert.That(decoded.Events.Single().Event, Is.TypeOf<WorkflowCompleted>());
        });
    }

    [Test]
    public void Decode_OurEventNameWithAnotherDataLayout_IsSkipped()
    {
        var logs = new[]
        {
            // Same topic as our WorkflowFailed, but the data is too short to hold a string.
            Log("WorkflowFailed(bytes32,string)", [], "0x01"),
            // A string offset pointing past the end of the data.
            Log("WorkflowFailed(bytes32,string)", [], Abi(new ABIValue("uint256", 4096)), logIndex: 1),
            // A payment without its indexed recipient.
            Log("PaymentExecuted(bytes32,address,uint256)", [], Abi(new ABIValue("uint256", 1)), logIndex: 2),
            // A decision whose data is empty.
            Log("DecisionRecorded(bytes32,bool,string)", [], "0x", logIndex: 3),
            // A decision whose bool word is 2.
            Log("DecisionRecorded(bytes32,bool,string)", [], Abi(new ABIValue("uint256", 2), new ABIValue("string", "x")), logIndex: 4),
            // An indexed "address" with bits above its 20 bytes.
            Log("WorkflowStarted(bytes32,address)", ["0x" + new string('f', 64)], "0x", logIndex: 5),
            // A completion with data it should not have.
            Log("WorkflowCompleted(bytes32)", [], Abi(new ABIValue("uint256", 1)), logIndex: 6),
            // A workflow id that is not 32 bytes of hex.
            WithTopics(Log("WorkflowCompleted(bytes32)", [], "0x", logIndex: 7), topics => [topics.First(), "0x1234"]),
            // One indexed topic too many (another contract's variant of the event).
            Log("WorkflowCompleted(bytes32)", [AddressTopic(Sender)], "0x", logIndex: 8),
            // Data the node sent as something other than hex.
            Log("WorkflowCompleted(bytes32)", [], "0x", logIndex: 9) with { Data = null },
        };

        var decoded = LogDecoder.Decode(logs, Blocks, Senders);

        Assert.Multiple(() =>
        {
            Assert.That(decoded.SkippedLogs, Is.EqualTo(logs.Length));
            Assert.That(decoded.Events, Is.Empty);
        });
    }

    [Test]
    public void Decode_ARemovedLog_IsSkipped()
    {
        var log = Log("WorkflowCompleted(bytes32)", [], "0x") with { Removed = true };

        Assert.That(LogDecoder.Decode([log], Blocks, Senders).SkippedLogs, Is.EqualTo(1));
    }

    [Test]
    public void Decode_APaymentWithoutItsSender_ThrowsChainDataException()
    {
        var logs = new[] { Log("PaymentExecuted(bytes32,address,uint256)", [AddressTopic(Recipient)], Abi(new ABIValue("uint256", 5))) };

        Assert.Throws<ChainDataException>(() => LogDecoder.Decode(logs, Blocks, new Dictionary<string, string>()));
    }

    [Test]
    public void Decode_ALogFromABlockThatWasNotFetched_ThrowsChainDataException()
    {
        var log = Log("WorkflowCompleted(bytes32)", [], "0x") with { BlockNumber = BlockNumber + 1 };

        Assert.Throws<ChainDataException>(() => LogDecoder.Decode([log], Blocks, Senders));
    }

    [Test]
    public void Decode_ALogWhoseBlockHashDiffersFromTheFetchedBlock_ThrowsChainDataException()
    {
        var log = Log("WorkflowCompleted(bytes32)", [], "0x") with { BlockHash = "0x" + new string('d', 64) };

        Assert.Throws<ChainDataException>(() => LogDecoder.Decode([log], Blocks, Senders));
    }

    [Test]
    public void IsPayment_IsTrueOnlyForPaymentExecuted()
    {
        Assert.Multiple(() =>
        {
            Assert.That(LogDecoder.IsPayment(Log("PaymentExecuted(bytes32,address,uint256)", [AddressTopic(Recipient)], "0x")), Is.True);
            Assert.That(LogDecoder.IsPayment(Log("WorkflowCompleted(bytes32)", [], "0x")), Is.False);
        });
    }

    private static RawLog Log(string signature, string[] extraTopics, string data, int logIndex = 0) => new(
        Address: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
        Topics: [Sha3Keccack.Current.CalculateHash(signature).EnsureHexPrefix().ToLowerInvariant(), WorkflowId, .. extraTopics],
        Data: Convert.FromHexString(data.AsSpan(2)),
        BlockNumber: BlockNumber,
        BlockHash: BlockHash,
        TransactionHash: TxHash,
        TransactionIndex: 3,
        LogIndex: logIndex,
        Removed: false);

    private static RawLog WithTopics(RawLog log, Func<IEnumerable<string>, IEnumerable<string>> change) =>
        log with { Topics = change(log.Topics).ToArray() };

    private static string AddressTopic(string address) => "0x" + new string('0', 24) + address[2..];

    private static string Abi(params ABIValue[] values) => new ABIEncode().GetABIEncoded(values).ToHex(prefix: true);
}
