using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace TestSupport;

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of a real JSON-RPC node (anvil) that injects the faults a
/// test scripts: HTTP errors, silence, resets, cut or garbled bodies, JSON-RPC errors, a lagging
/// node, a head going backwards. It speaks raw TCP rather than through an HTTP server library so
/// that it can also fail below HTTP (reset a connection, stop mid-body).
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly byte[] NotJson = "<html><body><h1>502 Bad Gateway</h1></body></html>"u8.ToArray();
    private static readonly byte[] HttpErrorBody = """{"error":"injected by FaultProxy"}"""u8.ToArray();

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Uri target;
    private readonly HttpClient node = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentBag<Task> connections = [];
    private readonly FaultScript script = new();
    private readonly ProxyLedger ledger = new();
    private readonly Task accepting;

    private FaultProxy(string targetUrl)
    {
        target = new Uri(targetUrl);
        listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";
        accepting = AcceptAsync();
    }

    /// <summary>The proxy's own RPC URL, to give the client under test instead of the node's.</summary>
    public string Url { get; }

    /// <summary>Every request this proxy could not handle (a bug in the proxy, not a fault it injected).</summary>
    public IReadOnlyList<Exception> Errors => ledger.Errors;

    /// <summary>fromBlock..toBlock of every eth_getLogs call received, in arrival order.</summary>
    public IReadOnlyList<BlockRange> RequestedLogRanges => ledger.RequestedLogRanges;

    /// <summary>fromBlock..toBlock of every eth_getLogs call the node answered and the proxy passed on.</summary>
    public IReadOnlyList<BlockRange> ForwardedLogRanges => ledger.ForwardedLogRanges;

    /// <summary>Starts listening on a port the OS picks; requests go to <paramref name="targetUrl"/>.</summary>
    public static FaultProxy Start(string targetUrl) => new(targetUrl);

    /// <summary>
    /// Scripts a fault: the next <paramref name="times"/> requests matching <paramref name="when"/>
    /// (all requests when null) get it. Faults apply in the order they were added, one per request.
    /// </summary>
    public void Inject(FaultKind fault, int times = int.MaxValue, Func<RpcRequest, bool>? when = null) =>
        script.Add(fault, times, when ?? (_ => true));

    /// <summary>Removes every scripted fault: from now on the proxy forwards faithfully.</summary>
    public void ClearFaults() => script.Clear();

    /// <summary>How many times <paramref name="fault"/> was taken for a request (counted before its delivery, so a client that saw it can assert on it at once).</summary>
    public int Injected(FaultKind fault) => ledger.Injected(fault);

    /// <summary>For each delivery of <paramref name="fault"/>, the time until the next request arrived.</summary>
    public IReadOnlyList<TimeSpan> PausesAfter(FaultKind fault) => ledger.PausesAfter(fault);

    /// <summary>How many calls to <paramref name="method"/> (batch items included) the node answered and the proxy passed on.</summary>
    public int Forwarded(string method) => ledger.Forwarded(method);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        await Task.WhenAll(connections);
        node.Dispose();
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException
                || (e is InvalidOperationException && stopping.IsCancellationRequested))
            {
                return; // stopping: a listener stopped before the next accept began says "Not listening"
            }

            connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var connection = new RawHttpConnection(client.GetStream());
                while (await connection.ReadRequestBodyAsync(stopping.Token) is { } body)
                {
                    var request = RpcRequest.Parse(body);
                    ledger.Received(request);
                    var fault = script.Take(request);
                    if (fault is not null)
                    {
                        ledger.FaultTaken(fault);
                    }

                    var keepOpen = await AnswerAsync(client, connection, body, request, fault);

                    if (!keepOpen)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client gave up on the connection, or the proxy is stopping: nobody left to answer.
            }
            catch (Exception e)
            {
                ledger.Failed(e);
            }
        }
    }

    /// <returns>Whether the connection stays open for the client's next request.</returns>
    private async Task<bool> AnswerAsync(TcpClient client, RawHttpConnection connection, byte[] body, RpcRequest request, FaultKind? fault)
    {
        var token = stopping.Token;
        switch (fault)
        {
            case FaultKind.Http429 tooMany:
                ledger.FaultShown(tooMany);
                await connection.WriteResponseAsync(429, "Too Many Requests", HttpErrorBody, token, retryAfterSeconds: tooMany.RetryAfterSeconds);
                return true;
            case FaultKind.Http500:
                ledger.FaultShown(fault);
                await connection.WriteResponseAsync(500, "Internal Server Error", HttpErrorBody, token);
                return true;
            case FaultKind.Http503:
                ledger.FaultShown(fault);
                await connection.WriteResponseAsync(503, "Service Unavailable", HttpErrorBody, token);
                return true;
            case FaultKind.Timeout silence:
                await Task.Delay(silence.HoldFor, token);
                ledger.FaultShown(silence);
                return false;
            case FaultKind.ConnectionReset:
                // Linger on with a zero timeout makes Close send RST instead of FIN.
                client.Client.LingerState = new LingerOption(true, 0);
                ledger.FaultShown(fault);
                client.Client.Close();
                return false;
            case FaultKind.TruncatedJson:
                var (status, whole) = await ForwardAsync(body, token);
                ledger.FaultShown(fault);
                await connection.WriteResponseAsync((int)status, status.ToString(), whole, token, sendBytes: whole.Length / 2);
                return false;
            case FaultKind.MalformedJson:
                ledger.FaultShown(fault);
                await connection.WriteResponseAsync(200, "OK", NotJson, token);
                return true;
            default:
                return await AnswerFromNodeAsync(connection, body, request, fault, token);
        }
    }

    /// <summary>The node's answer, as is or as a faulty node would have given it (JSON-RPC errors, lagging node, head gone backwards).</summary>
    private async Task<bool> AnswerFromNodeAsync(RawHttpConnection connection, byte[] body, RpcRequest request, FaultKind? fault, CancellationToken token)
    {
        // The head is read before the answer, so that the lagging node never knows a block the answer lacks.
        var realHead = fault is FaultKind.LaggingNode ? await NodeHeadAsync(token) : 0;
        var (status, answer) = await ForwardAsync(body, token);
        if (fault is not null)
        {
            answer = RpcAnswerRewriter.Rewrite(request, answer, fault, realHead);
            ledger.FaultShown(fault);
        }

        // Counted before the write, like every ledger entry: the client may act on the answer (and its
        // test assert on the ledger) before this task runs again.
        ledger.AnsweredByNode(RpcAnswerRewriter.AnsweredByNode(request, fault));
        await connection.WriteResponseAsync((int)status, status.ToString(), answer, token);
        return true;
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> ForwardAsync(byte[] body, CancellationToken token)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await node.PostAsync(target, content, token);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(token));
    }

    private async Task<long> NodeHeadAsync(CancellationToken token)
    {
        var (_, answer) = await ForwardAsync("""{"jsonrpc":"2.0","id":"fault-proxy","method":"eth_blockNumber","params":[]}"""u8.ToArray(), token);
        return Quantity.TryParse(JsonNode.Parse(answer)?["result"], out var head)
            ? head
            : throw new InvalidDataException($"The node answered eth_blockNumber with {System.Text.Encoding.UTF8.GetString(answer)}.");
    }
}
