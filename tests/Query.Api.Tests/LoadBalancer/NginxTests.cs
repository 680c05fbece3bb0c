using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.LoadBalancer;

/// <summary>
/// deploy/nginx's configuration in Debian's nginx in front of Query.Api instances: the same answers from
/// every instance, an instance killed without errors reaching clients, and the client address the API
/// limits by coming only from the trusted proxy. Clients bind distinct loopback addresses (127.0.0.x).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NginxTests
{
    private const string NginxBinary = "/usr/sbin/nginx";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private string apiRoleUrl = null!;

    [OneTimeSetUp]
    public async Task SeedADatabase() =>
        (_, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(await SharedPostgres.GetAsync());

    [Test]
    public async Task TwoInstances_AnswerAlike_AndOneKilled_ReachesNoClient()
    {
        var behindProxy = new Dictionary<string, string> { ["TRUSTED_PROXIES"] = "127.0.0.1" };
        await using var first = await ApiProcess.StartAsync(apiRoleUrl, behindProxy);
        await using var second = await ApiProcess.StartAsync(apiRoleUrl, behindProxy);
        await using var nginx = await Nginx.StartAsync(first.Port, second.Port);
        using var client = ClientFrom("127.0.0.4", nginx.Url);
        string[] paths = ["/stats", "/workflows?limit=2", $"/workflows/{Seed.Completed}", "/status"];
        var direct = new Dictionary<string, string>();
        foreach (var path in paths.SkipLast(1))
        {
            direct[path] = (await first.GetAsync(path)).Body;
        }

        for (var round = 0; round < 20; round++)
        {
            foreach (var path in paths.SkipLast(1))
            {
                using var answer = await client.GetAsync(path);
                Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
                Assert.That(await answer.Content.ReadAsStringAsync(), Is.EqualTo(direct[path]), $"{path}, round {round}");
            }
        }

        // Kill one instance while a client keeps asking: nginx retries the idempotent request on the other.
        var failures = new List<string>();
        for (var request = 0; request < 200; request++)
        {
            if (request == 50)
            {
                first.Kill();
            }

            using var answer = await client.GetAsync(paths[request % paths.Length]);
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"request {request}: {(int)answer.StatusCode}");
            }
        }

        Assert.That(failures, Is.Empty, "a sequential client has nothing in flight when the instance dies; nothing may reach it");
    }

    [Test]
    public async Task TheApiLimitsByTheAddressNginxForwards_AndIgnoresTheHeaderFromAnyoneElse()
    {
        await using var api = await ApiProcess.StartAsync(
            apiRoleUrl, new Dictionary<string, string> { ["TRUSTED_PROXIES"] = "127.0.0.1", ["RATE_LIMIT_PER_MINUTE"] = "3" });
        await using var nginx = await Nginx.StartAsync(api.Port);
        using var viaProxyA = ClientFrom("127.0.0.4", nginx.Url);
        using var viaProxyB = ClientFrom("127.0.0.5", nginx.Url);
        using var direct = ClientFrom("127.0.0.6", new Uri($"http://127.0.0.1:{api.Port}/"));

        // Client A spends its three requests, whatever X-Forwarded-For it sends: nginx replaces the header.
        var a = new List<HttpStatusCode>();
        for (var request = 0; request < 4; request++)
        {
            a.Add(await StatusAsync(viaProxyA, "/stats", forwardedFor: "203.0.113.9"));
        }

        var b = await StatusAsync(viaProxyB, "/stats");
        // A direct client naming B's address is not a trusted proxy: its header is ignored, its own bucket used.
        var spoofed = new List<HttpStatusCode>();
        for (var request = 0; request < 3; request++)
        {
            spoofed.Add(await StatusAsync(direct, "/stats", forwardedFor: "127.0.0.5"));
        }

        var bAgain = await StatusAsync(viaProxyB, "/stats");

        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            Assert.That(b, Is.EqualTo(HttpStatusCode.OK), "B has a bucket of its own");
            Assert.That(spoofed, Is.All.EqualTo(HttpStatusCode.OK), "the spoofer's own bucket");
            Assert.That(bAgain, Is.EqualTo(HttpStatusCode.OK), "the spoofer spent nothing of B's");
        });
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var answer = await client.SendAsync(request);
        return answer.StatusCode;
    }

    /// <summary>An HttpClient whose connections come from <paramref name="localAddress"/> (any 127.0.0.x is this machine).</summary>
    private static HttpClient ClientFrom(string localAddress, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout };
    }

    /// <summary>nginx with deploy/nginx/x402-api.conf (its listen port moved to a free one) and an upstream of the given API ports.</summary>
    private sealed class Nginx : IAsyncDisposable
    {
        private readonly ChildProcess _process;
        private readonly string _directory;

        private Nginx(ChildProcess process, string directory, int port)
        {
            _process = process;
            _directory = directory;
            Url = new Uri($"http://127.0.0.1:{port}/");
        }

        public Uri Url { get; }

        public static async Task<Nginx> StartAsync(params int[] apiPorts)
        {
            var directory = Directory.CreateTempSubdirectory("x402-nginx-").FullName;
            var port = FreePort.Next();
            var server = await File.ReadAllTextAsync(Path.Combine(RepoLayout.Root, "deploy", "nginx", "x402-api.conf"));
            Assert.That(server, Does.Contain("listen 8080;"), "the committed server block listens on 8080");
            await File.WriteAllTextAsync(Path.Combine(directory, "x402-api.conf"), server.Replace("listen 8080;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal));
            var upstream = await File.ReadAllTextAsync(Path.Combine(RepoLayout.Root, "deploy", "nginx", "x402-upstream.conf"));
            var servers = string.Concat(apiPorts.Select(api => string.Create(CultureInfo.InvariantCulture, $"    server 127.0.0.1:{api} max_fails=1 fail_timeout=5s;\n")));
            upstream = string.Join('\n', upstream.Split('\n').Where(line => !line.TrimStart().StartsWith("server ", StringComparison.Ordinal)))
                .Replace("upstream x402_api {\n", "upstream x402_api {\n" + servers, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(directory, "x402-upstream.conf"), upstream);
            await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
                {{(Environment.IsPrivilegedProcess ? "user root;" : string.Empty)}}
                pid {{directory}}/nginx.pid;
                error_log {{directory}}/error.log warn;
                events {}
                http {
                    access_log off;
                    client_body_temp_path {{directory}}/body;
                    proxy_temp_path {{directory}}/proxy;
                    fastcgi_temp_path {{directory}}/fastcgi;
                    uwsgi_temp_path {{directory}}/uwsgi;
                    scgi_temp_path {{directory}}/scgi;
                    include {{directory}}/x402-upstream.conf;
                    include {{directory}}/x402-api.conf;
                }
                """);
            var process = ChildProcess.Start(NginxBinary, ["-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off;"]);
            var nginx = new Nginx(process, directory, port);
            await Eventually.TrueAsync(() => Task.FromResult(process.HasExited || TcpProbe.Accepts(port)), Timeout, () => $"nginx listens.\n{process.Output}");
            Assert.That(process.HasExited, Is.False, () => process.Output + File.ReadAllText(Path.Combine(directory, "error.log")));
            return nginx;
        }

        public async ValueTask DisposeAsync()
        {
            await _process.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
