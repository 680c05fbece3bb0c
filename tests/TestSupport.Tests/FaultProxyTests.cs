using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace TestSupport.Tests;

/// <summary>The fault proxy in front of a real anvil, seen by a plain HttpClient: one test per fault kind.</summary>
[TestFixture]
public sealed class FaultProxyTests
{
    // Creates an empty contract whose constructor emits one LOG0: PUSH1 0, PUSH1 0, LOG0, STOP.
    private const string EmitOneLogInitCode = "0x60006000a000";

    private AnvilNode anvil = null!;

    [OneTimeSetUp]
    public async Task StartAnvil() => anvil = await AnvilNode.StartAsync();

    [OneTimeTearDown]
    public Task StopAnvil() => anvil.DisposeAsync().AsTask();

    [Test]
    public async Task Without_faults_it_forwards_single_calls_and_batches_and_counts_calls_by_method()
    {
        await using var proxy = FaultProxy.Start(anvil.RpcUrl);
        using var http = new HttpClient();

        var single = await ResultAsync(http, proxy, Call(1, "eth_blockNumber"));
        var batch = await JsonAsync(http, proxy, $"[{Call(1, "eth_chainId")},{Call(2, "eth_blockNumber")}]");

        Assert.Multiple(() =>
        {
            Assert.That(single.GetString(), Is.EqualTo(Quantity.Format(0)));
            Assert.That(batch.EnumerateArray().Select(item => item.GetProperty("result").GetString()), Is.EquivalentTo(new[] { "0x7a69", "0x0" }));
            Assert.That(proxy.Forwarded("eth_blockNumber"), Is.EqualTo(2));
            Assert.That(proxy.Forwarded("eth_chainId"), Is.EqualTo(1));
            Assert.That(proxy.Errors, Is.Empty);
        });
    }

    [Test]
    public async Task Http429_carries_Retry_After_and_the_pause_until_the_next_request_is_measured()
    {
        await using var proxy = FaultProxy.Start(anvil.RpcUrl);
        var fault = new FaultKind.Http429(RetryAfterSeconds: 2);
        proxy.Inject(fault, times: 1);
        using var http = new HttpClient();

        using var limited = await PostAsync(http, proxy, Call(1, "eth_blockNumber"));
        // The pause being measured, not a wait for a condition. Timed by the Stopwatch, as the proxy times it:
        // Task.Delay runs on a coarser clock and ended 1.3 ms short of 300 ms by the Stopwatch's in one CI run.
        var pause = Stopwatch.StartNew();
        while (pause.Elapsed < TimeSpan.FromMilliseconds(300))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(301) - pause.Elapsed);
        }

        using var next = await PostAsync(http, proxy, Call(2, "eth_blockNumber"));

        Assert.Multiple(() =>
        {
            Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(proxy.Injected(fault), Is.EqualTo(1));
            Assert.That(proxy.PausesAfter(fault), Has.Count.EqualTo(1));
            Assert.That(proxy.PausesAfter(fault)[0], Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300)));
        });
    }

    [Test]
    public async Task Http500_and_Http503_answer_with_their_status()
    {
        await using var proxy = FaultProxy.Start(anvil.RpcUrl);
        proxy.Inject(new FaultKind.Http500(), times: 1);
        proxy.Inject(new FaultKind.Http503(), times: 1);
        using var http = new HttpClient();

        using var first = await PostAsync(http, proxy, Call(1, "eth_blockNumber"));
        using var second = await PostAsync(http, proxy, Call(2, "eth_blockNumber"));

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(proxy.Injected(new FaultKind.Http500()), Is.EqualTo(1));
            Assert.That(proxy.Injected(new FaultKind.Http503()), Is.EqualTo(1));
            Assert.That(proxy.Forwarded("eth_blockNumber"), Is.Zero);
        });
    }

    [Test]
    public async Task Timeout_holds_the_request_past_the_clients_patience_then_drops_it()
    {
        await using var proxy = FaultProxy.Start(anvil.RpcUrl);
        var fault = new FaultKind.Timeout(HoldFor: TimeSpan.FromSeconds(1));
        proxy.Inject(fault, times: 1);
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        Assert.ThrowsAsync<TaskCanceledException>(() => PostAsync(http, proxy, Call(1, "eth_blockNumber")));
        await Eventually.TrueAsync(() => Task.FromResult(proxy.Injected(fault) == 1), TimeSpan.FromSeconds(5), "the held request is dropped");
    }

    [Test]
    public async Task ConnectionReset_fails_the_request_at_the_transport_level()
    {
        await using var proxy = FaultProxy.Start(anvil.RpcUrl);
        proxy.Inject(new FaultKind.ConnectionReset(), times: 1);
        using var http = new HttpClient();

        Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(http, proxy, Call(1, "eth_blockNumber")));
        Assert.That(proxy.Injected(new FaultKind.ConnectionReset()), Is.EqualTo(1));
    }

    [Test]
    public async Task TruncatedJson_stops_the_body_short_of_its_length()
    {
        await using var proxy = FaultProxy.Start(anvil.RpcUrl);
        proxy.Inject(new FaultKind.TruncatedJson(), times: 1);
        using var http = new HttpClient();

        Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(http, proxy, Call(1, "eth_getBlockByNumber", "\"0x0\"", "false")));
        Assert.Multiple(() =>
        {
            Assert.That(proxy.Injected(new FaultKind.TruncatedJson()), Is.EqualTo(1));
            Assert.That(proxy.Forwarded("eth_getBlockByNumber"), Is.Zero);
        });
    }

    [Test]
    public async Task MalformedJson_answers_200_with_a_body_that_is_not_json()
    {
        await using var proxy = FaultProxy.Start(anvil.RpcUrl);
        proxy.Inject(new FaultKind.MalformedJson(), times: 1);
        using var http = new HttpClient();

        using var response = await PostAsync(http, proxy, Call(1, "eth_blockNumber"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(() => JsonDocument.Parse(body), Throws.InstanceOf<JsonException>());
        });
    }

    [Test]
    public async Task RpcError_answers_the_calls_to_its_method_with_the_error_and_the_rest_of_the_batch_from_the_node()
    {
        await using var proxy = FaultProxy.Start(anvil.RpcUrl);
        var fault = new FaultKind.RpcError(-32005, "limit exceeded", "eth_getLogs");
        proxy.Inject(fault, when: request => request.IsBatch);
        using var http = new HttpClient();

        var answers = await JsonAsync(http, proxy, $"[{Call(7, "eth_getLogs", LogsFilter(0, 0))},{Call(8, "eth_blockNumber")}]");
        var byId = answers.EnumerateArray().ToDictionary(item => item.GetProperty("id").GetInt32());

        Assert.Multiple(() =>
        {
            Assert.That(byId[7].GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-32005));
            Assert.That(byId[7].GetProperty("error").GetProperty("message").GetString(), Is.EqualTo("limit exceeded"));
            Assert.That(byId[8].GetProperty("result").GetString(), Is.EqualTo("0x0"));
            Assert.That(proxy.Injected(fault), Is.EqualTo(1));
            Assert.That(proxy.Forwarded("eth_getLogs"), Is.Zero);
            Assert.That(proxy.Forwarded("eth_blockNumber"), Is.EqualTo(1));
            Assert.That(proxy.RequestedLogRanges, Is.EqualTo(new[] { new BlockRange(0, 0) }));
        });
    }

    [Test]
    public async Task LaggingNode_answers_a_whole_batch_as_a_node_that_has_not_seen_the_newest_blocks()
    {
        await using var chain = await AnvilNode.StartAsync();
        var account = (await chain.CallAsync<string[]>("eth_accounts"))[0];
        // Automine may answer eth_sendTransaction before its block is the head; anvil_mine returns once it is.
        await chain.SetAutomineAsync(false);
        for (var i = 0; i < 3; i++)
        {
            await chain.CallAsync<string>("eth_sendTransaction", new { from = account, data = EmitOneLogInitCode });
            await chain.MineAsync();
        }

        var head = await chain.BlockNumberAsync();
        await using var proxy = FaultProxy.Start(chain.RpcUrl);
        proxy.Inject(new FaultKind.LaggingNode(LagBlocks: 1));
        using var http = new HttpClient();

        var answers = await JsonAsync(http, proxy, "[" + string.Join(',',
            Call(1, "eth_getLogs", LogsFilter(0, head)),
            Call(2, "eth_getBlockByNumber", $"\"{Quantity.Format(head)}\"", "false"),
            Call(3, "eth_getBlockByNumber", $"\"{Quantity.Format(head - 1)}\"", "false"),
            Call(4, "eth_blockNumber")) + "]");
        var byId = answers.EnumerateArray().ToDictionary(item => item.GetProperty("id").GetInt32(), item => item.GetProperty("result"));

        Assert.Multiple(() =>
        {
            Assert.That(
                byId[1].EnumerateArray().Select(log => log.GetProperty("blockNumber").GetString()),
                Is.EqualTo(new[] { Quantity.Format(head - 2), Quantity.Format(head - 1) }));
            Assert.That(byId[2].ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(byId[3].GetProperty("number").GetString(), Is.EqualTo(Quantity.Format(head - 1)));
            Assert.That(byId[4].GetString(), Is.EqualTo(Quantity.Format(head - 1)));
        });
    }

    [Test]
    public async Task HeadGoesBackwards_lowers_the_reported_head_and_only_while_scripted()
    {
        await using var chain = await AnvilNode.StartAsync();
        await chain.MineAsync(10);
        await using var proxy = FaultProxy.Start(chain.RpcUrl);
        var fault = new FaultKind.HeadGoesBackwards(Blocks: 4);
        proxy.Inject(fault, times: 1);
        using var http = new HttpClient();

        var lowered = await ResultAsync(http, proxy, Call(1, "eth_blockNumber"));
        var real = await ResultAsync(http, proxy, Call(2, "eth_blockNumber"));

        Assert.Multiple(() =>
        {
            Assert.That(lowered.GetString(), Is.EqualTo(Quantity.Format(6)));
            Assert.That(real.GetString(), Is.EqualTo(Quantity.Format(10)));
            Assert.That(proxy.Injected(fault), Is.EqualTo(1));
        });
    }

    private static string Call(int id, string method, params string[] parameters) =>
        $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":[{{string.Join(',', parameters)}}]}""";

    private static string LogsFilter(long from, long to) =>
        $$"""{"fromBlock":"{{Quantity.Format(from)}}","toBlock":"{{Quantity.Format(to)}}"}""";

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, FaultProxy proxy, string json) =>
        http.PostAsync(proxy.Url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> JsonAsync(HttpClient http, FaultProxy proxy, string json)
    {
        using var response = await PostAsync(http, proxy, json);
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> ResultAsync(HttpClient http, FaultProxy proxy, string json) =>
        (await JsonAsync(http, proxy, json)).GetProperty("result");
}
