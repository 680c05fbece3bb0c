using System.Buffers;
using System.Text;
using System.Text.Json;
using Indexer.Worker.Chain;
using Nethereum.JsonRpc.Client;
using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.Chain;

/// <summary>Batch answers read straight from their bytes: written by hand for the odd shapes nodes send, and from real anvil.</summary>
[TestFixture]
public sealed class JsonRpcBatchTests
{
    private const string BlockHash = "0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string TxHash = "0xBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    private const string Topic = "0xCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";

    [Test]
    public void Parse_AnswersAndTheirMembersInAnyOrder_AreMatchedById()
    {
        using var answer = Parse(
            """[{"result":"0x2a","id":1,"jsonrpc":"2.0"},{"jsonrpc":"2.0","id":0,"result":"0x7a69"}]""", requests: 2);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Read(0, RpcJson.Quantity), Is.EqualTo(31337));
            Assert.That(answer.Read(1, RpcJson.Quantity), Is.EqualTo(42));
        });
    }

    [Test]
    public void Read_AnAnswerThatIsAnError_ThrowsTheNodesError()
    {
        using var answer = Parse(
            """[{"jsonrpc":"2.0","id":0,"error":{"code":-32005,"message":"limit exceeded","data":{"x":1}}}]""", requests: 1);

        var error = Assert.Throws<RpcResponseException>(() => answer.Read(0, RpcJson.Quantity))!;
        Assert.Multiple(() =>
        {
            Assert.That(answer.ErrorOf(0)?.Code, Is.EqualTo(-32005));
            Assert.That(error.RpcError.Message, Is.EqualTo("limit exceeded"));
        });
    }

    [TestCase("""[{"jsonrpc":"2.0","id":0,"result":"0x1"}]""", TestName = "A request without an answer")]
    [TestCase("""[{"jsonrpc":"2.0","id":0,"result":"0x1"},{"jsonrpc":"2.0","id":0,"result":"0x1"}]""", TestName = "Two answers with one id")]
    [TestCase("""[{"jsonrpc":"2.0","id":0,"result":"0x1"},{"jsonrpc":"2.0","id":7,"result":"0x1"}]""", TestName = "An answer with an unknown id")]
    [TestCase("""[{"jsonrpc":"2.0","id":0,"result":"0x1"},{"jsonrpc":"2.0","id":1}]""", TestName = "An answer with neither result nor error")]
    [TestCase("""<html>Bad gateway</html>""", TestName = "Not JSON")]
    [TestCase("""[{"jsonrpc":"2.0","id":0,"result":"0x1"},{"jsonrpc":""", TestName = "Cut short")]
    public void Parse_AnAnswerThatIsNotOneAnswerPerRequest_ThrowsChainDataException(string json) =>
        Assert.Throws<ChainDataException>(() => Parse(json, requests: 2).Dispose());

    [Test]
    public void Parse_ABatchRefusedAsAWhole_ThrowsTheNodesError()
    {
        var error = Assert.Throws<RpcResponseException>(() =>
            Parse("""{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large"}}""", requests: 2).Dispose())!;

        Assert.That(error.RpcError.Message, Is.EqualTo("batch too large"));
    }

    [Test]
    public void Logs_AreReadWithLowercaseHashes_AndRepeatedValuesShared()
    {
        var log = $$"""{"removed":false,"logIndex":"0xLOG_INDEX","transactionIndex":"0x3","transactionHash":"{{TxHash}}","blockHash":"{{BlockHash}}","blockNumber":"0x10","data":"0x01","topics":["{{Topic}}","0x{{new string('d', 64)}}"],"address":"0x5FbDB2315678afecb367f032d93F642f64180aa3"}""";
        using var answer = Parse($$"""[{"jsonrpc":"2.0","id":0,"result":[{{log.Replace("LOG_INDEX", "1")}},{{log.Replace("LOG_INDEX", "2")}}]}]""", requests: 1);

        var logs = answer.Read(0, RpcJson.Logs);

        Assert.Multiple(() =>
        {
            Assert.That(logs, Has.Count.EqualTo(2));
            Assert.That(logs[0] with { Data = null }, Is.EqualTo(new RawLog(
                "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                logs[0].Topics,
                null,
                16,
                BlockHash.ToLowerInvariant(),
                TxHash.ToLowerInvariant(),
                3,
                1,
                false)));
            Assert.That(logs[0].Data, Is.EqualTo(new byte[] { 1 }));
            Assert.That(logs[0].Topics, Is.EqualTo(new[] { Topic.ToLowerInvariant(), "0x" + new string('d', 64) }));
            Assert.That(logs[1].LogIndex, Is.EqualTo(2));
            Assert.That(ReferenceEquals(logs[0].TransactionHash, logs[1].TransactionHash), Is.True, "one string for a repeated hash");
        });
    }

    [TestCase("blockNumber")]
    [TestCase("transactionHash")]
    [TestCase("logIndex")]
    [TestCase("topics")]
    public void Logs_ALogWithoutOneOfItsFields_ThrowsChainDataException(string field)
    {
        var fields = new Dictionary<string, string>
        {
            ["logIndex"] = "\"0x1\"",
            ["transactionIndex"] = "\"0x0\"",
            ["transactionHash"] = $"\"{TxHash}\"",
            ["blockHash"] = $"\"{BlockHash}\"",
            ["blockNumber"] = "\"0x10\"",
            ["data"] = "\"0x\"",
            ["topics"] = $"[\"{Topic}\"]",
            ["address"] = "\"0x5fbdb2315678afecb367f032d93f642f64180aa3\"",
        };
        fields.Remove(field);
        var log = "{" + string.Join(",", fields.Select(pair => $"\"{pair.Key}\":{pair.Value}")) + "}";
        using var answer = Parse($$"""[{"jsonrpc":"2.0","id":0,"result":[{{log}}]}]""", requests: 1);

        Assert.Throws<ChainDataException>(() => answer.Read(0, RpcJson.Logs));
    }

    [TestCase("\"0x\"", new byte[0])]
    [TestCase("\"0x00fF\"", new byte[] { 0, 255 })]
    [TestCase("\"0X01\"", new byte[] { 1 })]
    [TestCase("\"0x\\u0030\\u0031\"", new byte[] { 1 })]
    [TestCase("\"00ff\"", null)]
    [TestCase("\"0x0\"", null)]
    [TestCase("\"0xzz\"", null)]
    public void Logs_DataIsReadAsBytes_OrNullWhenItIsNotHex(string data, byte[]? expected)
    {
        using var answer = Parse(OneLog(data, $"[\"{Topic}\"]"), requests: 1);

        Assert.That(answer.Read(0, RpcJson.Logs).Single().Data, Is.EqualTo(expected));
    }

    [Test]
    public void Logs_ALogWithMoreThanFourTopics_ThrowsChainDataException()
    {
        using var answer = Parse(OneLog("\"0x\"", "[" + string.Join(",", Enumerable.Repeat($"\"{Topic}\"", 5)) + "]"), requests: 1);

        Assert.Throws<ChainDataException>(() => answer.Read(0, RpcJson.Logs));
    }

    [Test]
    public void Senders_FromAReceiptAndATransaction_AreReadLowercase()
    {
        using var answer = Parse(
            $$$"""
            [{"jsonrpc":"2.0","id":0,"result":{"transactionHash":"{{{TxHash}}}","from":"0xABCDEF0000000000000000000000000000000001","logs":[{"a":1}]}},
             {"jsonrpc":"2.0","id":1,"result":{"from":"0x0000000000000000000000000000000000000002","input":"0x","hash":"0x{{{new string('e', 64)}}}"}},
             {"jsonrpc":"2.0","id":2,"result":null}]
            """,
            requests: 3);
        var senders = new Dictionary<string, string>();

        answer.Read(0, (ref Utf8JsonReader reader) => { RpcJson.ReceiptSender(ref reader, senders); return 0; });
        answer.Read(1, (ref Utf8JsonReader reader) => { RpcJson.TransactionSender(ref reader, senders); return 0; });
        answer.Read(2, (ref Utf8JsonReader reader) => { RpcJson.ReceiptSender(ref reader, senders); return 0; });

        Assert.That(senders, Is.EquivalentTo(new Dictionary<string, string>
        {
            [TxHash.ToLowerInvariant()] = "0xabcdef0000000000000000000000000000000001",
            ["0x" + new string('e', 64)] = "0x0000000000000000000000000000000000000002",
        }));
    }

    [Test]
    public async Task SendAsync_ToARealNode_ReadsBlocksAndErrorsOfOneBatch()
    {
        await using var anvil = await AnvilNode.StartAsync();
        await anvil.MineAsync(2);
        using var http = new HttpClient { BaseAddress = new Uri(anvil.RpcUrl) };
        var batch = new JsonRpcBatch();
        var head = batch.Add("eth_blockNumber", _ => { });
        var block = batch.Add("eth_getBlockByNumber", json => { json.WriteStringValue("0x2"); json.WriteBooleanValue(false); });
        var missing = batch.Add("eth_getBlockByNumber", json => { json.WriteStringValue("0x64"); json.WriteBooleanValue(false); });
        var unknown = batch.Add("eth_noSuchMethod", _ => { });

        using var answer = await batch.SendAsync(http, maxAnswerBytes: 1024 * 1024, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Read(head, RpcJson.Quantity), Is.EqualTo(2));
            Assert.That(answer.Read(block, RpcJson.Block)?.Number, Is.EqualTo(2));
            Assert.That(answer.Read(missing, RpcJson.Block), Is.Null);
            Assert.That(answer.ErrorOf(unknown), Is.Not.Null);
        });
    }

    [Test]
    public async Task SendAsync_AnAnswerLongerThanTheLimit_ThrowsRpcAnswerTooLargeException()
    {
        await using var anvil = await AnvilNode.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(anvil.RpcUrl) };
        var batch = new JsonRpcBatch();
        batch.Add("eth_getBlockByNumber", json => { json.WriteStringValue("0x0"); json.WriteBooleanValue(false); });

        Assert.ThrowsAsync<RpcAnswerTooLargeException>(() => batch.SendAsync(http, maxAnswerBytes: 200, CancellationToken.None));
    }

    private static BatchAnswer Parse(string json, int requests)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(buffer, 0);
        return BatchAnswer.Parse(buffer, bytes.Length, requests);
    }

    private static string OneLog(string data, string topics) =>
        $$"""[{"jsonrpc":"2.0","id":0,"result":[{"logIndex":"0x1","transactionIndex":"0x0","transactionHash":"{{TxHash}}","blockHash":"{{BlockHash}}","blockNumber":"0x10","data":{{data}},"topics":{{topics}},"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}]}]""";
}
