using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Hostile;

/// <summary>
/// 10,000 generated malformed and abusive requests (<see cref="HostileRequests"/>, fixed seed), half through
/// HttpClient and half over raw sockets, against an API with every edge feature on (CORS, a rate limit too high
/// to reject, a trusted proxy so X-Forwarded-For is parsed): none may get a 5xx, nothing may be logged as a
/// failure, and the API must answer normally afterwards. A request line naming another HTTP version is the one
/// exception, and checked as such: Kestrel answers it 505 (or a 4xx), as the protocol has it (see <see cref="RawRequest"/>).
/// </summary>
public sealed class HostileInputTests
{
    private const int Seed = 402;
    private const int ThroughHttpClient = 5_000;
    private const int OverRawSockets = 5_000;
    private const int InFlight = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task TenThousandHostileRequests_NoneAnswered5xx_AndTheApiStillAnswersNormally()
    {
        await using var api = await ApiProcess.StartAsync(await SeededApi.ApiRoleUrlAsync(), new Dictionary<string, string>
        {
            ["CORS_ORIGINS"] = HostileRequests.AllowedOrigin,
            ["RATE_LIMIT_PER_MINUTE"] = "1000000",
            ["TRUSTED_PROXIES"] = "127.0.0.1",
        });
        var generator = new HostileRequests(Seed);
        var outcomes = new Outcomes();

        using (var http = HostileClient(api.Port))
        {
            await Parallel.ForEachAsync(
                generator.ForHttpClient(ThroughHttpClient),
                new ParallelOptions { MaxDegreeOfParallelism = InFlight },
                async (request, _) => outcomes.Add(request, await SendAsync(http, request)));
        }

        await Parallel.ForEachAsync(
            generator.ForRawSockets(OverRawSockets),
            new ParallelOptions { MaxDegreeOfParallelism = InFlight },
            async (request, _) => outcomes.Add(request, await SendAsync(api.Port, request)));

        TestContext.Out.WriteLine(outcomes.Summary());
        var health = await api.GetAsync("/health");
        var page = await api.GetAsync("/workflows?limit=2");
        var running = await api.GetAsync($"/workflows/{Support.Seed.Running}");
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Total, Is.GreaterThanOrEqualTo(10_000));
            Assert.That(outcomes.ServerErrors, Is.Empty, outcomes.Summary());
            Assert.That(outcomes.OtherVersionAnswers, Is.Not.Empty.And.All.Matches<int?>(status => status is (>= 400 and < 500) or 505), outcomes.Summary());
            Assert.That(outcomes.Answered, Is.GreaterThanOrEqualTo(outcomes.Total * 95 / 100), $"nearly every request gets an answer\n{outcomes.Summary()}");
            Assert.That(api.HasExited, Is.False, api.Output);
            Assert.That(api.Output.Split('\n').Where(line => line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal)), Is.Empty);
            Assert.That(health.Status, Is.EqualTo(HttpStatusCode.OK), health.ToString());
            Assert.That(page.Json.AsArray().Select(item => (string?)item!["workflowId"]), Is.EqualTo(Support.Seed.NewestFirst[..2]), page.ToString());
            Assert.That((string?)running.Json["workflow"]!["status"], Is.EqualTo("running"), running.ToString());
        });
    }

    private static HttpClient HostileClient(int port) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        MaxConnectionsPerServer = InFlight,
        // Header values go out as UTF-8 bytes rather than being refused by HttpClient.
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
        Timeout = RequestTimeout,
    };

    private static async Task<int?> SendAsync(HttpClient http, ClientRequest request)
    {
        if (!Uri.TryCreate(http.BaseAddress + request.PathAndQuery.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }, out var uri))
        {
            throw new InvalidOperationException($"The generator made a URL HttpClient cannot send: {request.Describe()}");
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            // A stream's body never ends; any other body is read, so the connection can carry the next request.
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                await response.Content.ReadAsByteArrayAsync();
            }

            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<int?> SendAsync(int port, RawRequest request)
    {
        try
        {
            return (await RawHttp.ExchangeAsync(port, request.Bytes, RequestTimeout)).Status;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Statuses per kind of request, and every request answered with a 5xx.</summary>
    private sealed class Outcomes
    {
        private readonly ConcurrentDictionary<string, int> _counts = new();
        private readonly ConcurrentQueue<string> _serverErrors = new();
        private readonly ConcurrentQueue<int?> _otherVersionAnswers = new();
        private int _total;
        private int _answered;

        public int Total => _total;

        public int Answered => _answered;

        public IReadOnlyCollection<string> ServerErrors => _serverErrors;

        /// <summary>The statuses of the requests that named another HTTP version, which are not counted in <see cref="ServerErrors"/>.</summary>
        public IReadOnlyCollection<int?> OtherVersionAnswers => _otherVersionAnswers;

        public void Add(HostileRequest request, int? status)
        {
            Interlocked.Increment(ref _total);
            if (status is not null)
            {
                Interlocked.Increment(ref _answered);
            }

            _counts.AddOrUpdate($"{request.Kind}: {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"}", 1, (_, count) => count + 1);
            if (request is RawRequest { OtherHttpVersion: true })
            {
                _otherVersionAnswers.Enqueue(status);
            }
            else if (status >= 500)
            {
                _serverErrors.Enqueue($"{status} for {request.Describe()}");
            }
        }

        public string Summary() =>
            $"{Total} requests, {Answered} answered, {ServerErrors.Count} with a 5xx\n"
            + string.Join('\n', _counts.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"  {entry.Key}: {entry.Value}"))
            + (ServerErrors.Count == 0 ? "" : "\nfirst 5xx:\n  " + string.Join("\n  ", ServerErrors.Take(30)));
    }
}
