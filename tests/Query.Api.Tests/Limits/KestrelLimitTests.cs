using System.Diagnostics;
using System.Text;
using NUnit.Framework;
using Query.Api.Configuration;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Limits;

/// <summary>Kestrel's limits as KestrelBinding sets them, seen from a client over a raw socket.</summary>
public sealed class KestrelLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task RequestLine_LongerThanTheLimit_Answers414()
    {
        var path = "/workflows?limit=" + new string('9', KestrelBinding.MaxRequestLineBytes);

        var answer = await SendAsync($"GET {path} HTTP/1.1\r\nHost: api\r\n\r\n");

        Assert.That(answer.Status, Is.EqualTo(414), answer.Head);
    }

    [Test]
    public async Task RequestLine_JustUnderTheLimit_ReachesTheApiAndAnswers400NamingTheParameter()
    {
        var prefix = "GET /workflows?limit=";
        var suffix = " HTTP/1.1\r\n";
        var digits = new string('9', KestrelBinding.MaxRequestLineBytes - prefix.Length - suffix.Length);

        var answer = await SendAsync($"{prefix}{digits}{suffix}Host: api\r\n\r\n");

        Assert.That(answer.Status, Is.EqualTo(400), answer.Head);
    }

    [Test]
    public async Task Headers_LargerThanTheLimitTogether_Answer431()
    {
        var header = $"X-Padding: {new string('a', KestrelBinding.MaxRequestHeadersBytes)}\r\n";

        var answer = await SendAsync($"GET /stats HTTP/1.1\r\nHost: api\r\n{header}\r\n");

        Assert.That(answer.Status, Is.EqualTo(431), answer.Head);
    }

    [Test]
    public async Task Headers_MoreThanTheLimitInNumber_Answer431()
    {
        var headers = string.Concat(Enumerable.Range(0, KestrelBinding.MaxRequestHeaderCount).Select(i => $"X-Header-{i}: {i}\r\n"));

        var answer = await SendAsync($"GET /stats HTTP/1.1\r\nHost: api\r\n{headers}\r\n");

        Assert.That(answer.Status, Is.EqualTo(431), answer.Head);
    }

    [Test]
    public async Task Headers_AsManyAsTheLimit_AreAccepted()
    {
        var headers = string.Concat(Enumerable.Range(0, KestrelBinding.MaxRequestHeaderCount - 1).Select(i => $"X-Header-{i}: {i}\r\n"));

        var answer = await SendAsync($"GET /stats HTTP/1.1\r\nHost: api\r\n{headers}\r\n");

        Assert.That(answer.Status, Is.EqualTo(200), answer.Head);
    }

    // No endpoint reads a body: after answering, Kestrel reads what is left of it to reach the next request on the
    // connection, but only up to the limit; a larger body closes the connection instead of being read.
    [TestCase(KestrelBinding.MaxRequestBodyBytes, new[] { 405, 200 })]
    [TestCase(KestrelBinding.MaxRequestBodyBytes + 1, new[] { 405 })]
    public async Task Body_NoEndpointTakesOne_IsReadPastOnlyWithinTheLimit(int bodyBytes, int[] answers)
    {
        var api = await SeededApi.GetAsync();
        var requests = $"POST /workflows HTTP/1.1\r\nHost: api\r\nContent-Type: text/plain\r\nContent-Length: {bodyBytes}\r\n\r\n"
            + new string('x', bodyBytes)
            + "GET /health HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n";

        var statuses = await RawHttp.PipelineAsync(api.Port, Encoding.ASCII.GetBytes(requests), Timeout);

        Assert.That(statuses, Is.EqualTo(answers));
    }

    [Test]
    public async Task RequestHead_NotFinishedInTime_Answers408AndCloses()
    {
        var api = await SeededApi.GetAsync();
        var clock = Stopwatch.StartNew();

        // The head never ends and the connection stays open: only the server's timeout ends the exchange.
        var answer = await RawHttp.ExchangeAsync(api.Port, Encoding.ASCII.GetBytes("GET /stats HTTP/1.1\r\nHost: api\r\n"), Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(408), answer.Head);
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(KestrelBinding.RequestHeadersTimeout - TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task Answers_NameNoServer()
    {
        var answer = await SendAsync("GET /health HTTP/1.1\r\nHost: api\r\n\r\n");

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(200), answer.Head);
            Assert.That(answer.Head, Does.Not.Contain("Server:").IgnoreCase);
        });
    }

    private static async Task<RawAnswer> SendAsync(string request)
    {
        var api = await SeededApi.GetAsync();
        return await RawHttp.ExchangeAsync(api.Port, Encoding.ASCII.GetBytes(request), Timeout);
    }
}
