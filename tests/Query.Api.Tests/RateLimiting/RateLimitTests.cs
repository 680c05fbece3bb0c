using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.RateLimiting;

/// <summary>
/// RATE_LIMIT_PER_MINUTE per client address. The limited API allows 3 requests a minute (a token every
/// 20 s, so none comes back while a test runs) and trusts 127.0.0.0/8 as a proxy: each test speaks for
/// clients of its own through X-Forwarded-For, so the tests share one process without sharing buckets.
/// </summary>
public sealed class RateLimitTests
{
    private const int PerMinute = 3;
    private const string App = "https://app.example.com";

    private ApiProcess _behindTrustedProxy = null!;
    private ApiProcess _behindOtherProxies = null!;

    [OneTimeSetUp]
    public async Task StartApis()
    {
        var database = await SeededApi.ApiRoleUrlAsync();
        _behindTrustedProxy = await ApiProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["RATE_LIMIT_PER_MINUTE"] = PerMinute.ToString(CultureInfo.InvariantCulture),
            ["TRUSTED_PROXIES"] = "192.0.2.10, 127.0.0.0/8",
            ["CORS_ORIGINS"] = App,
        });
        _behindOtherProxies = await ApiProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["RATE_LIMIT_PER_MINUTE"] = PerMinute.ToString(CultureInfo.InvariantCulture),
            ["TRUSTED_PROXIES"] = "192.0.2.10, 10.0.0.0/8",
        });
    }

    [OneTimeTearDown]
    public async Task StopApis()
    {
        await _behindTrustedProxy.DisposeAsync();
        await _behindOtherProxies.DisposeAsync();
    }

    [Test]
    public async Task Requests_BeyondTheLimit_Answer429ProblemWithRetryAfter()
    {
        var client = ("X-Forwarded-For", "203.0.113.1");

        var allowed = new List<HttpExchange>();
        for (var i = 0; i < PerMinute; i++)
        {
            allowed.Add(await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/stats", client));
        }

        var limited = await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/stats", client);

        Assert.Multiple(() =>
        {
            Assert.That(allowed.Select(answer => answer.Status), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(allowed.Select(answer => answer.Header("X-RateLimit-Limit")), Is.All.EqualTo("3"));
            Assert.That(allowed.Select(answer => answer.Header("X-RateLimit-Remaining")), Is.EqualTo(new[] { "2", "1", "0" }));
            Assert.That(limited.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), limited.ToString());
            Assert.That(limited.Header("Content-Type"), Is.EqualTo("application/problem+json"), limited.ToString());
            Assert.That((int?)JsonNode.Parse(limited.Text)!["status"], Is.EqualTo(429), limited.ToString());
            Assert.That((string?)JsonNode.Parse(limited.Text)!["type"], Is.EqualTo("https://tools.ietf.org/html/rfc6585#section-4"), limited.ToString());
            Assert.That(int.Parse(limited.Header("Retry-After")!, CultureInfo.InvariantCulture), Is.InRange(1, 60 / PerMinute), limited.ToString());
            Assert.That(limited.Header("X-RateLimit-Remaining"), Is.EqualTo("0"), limited.ToString());
        });
    }

    [Test]
    public async Task Requests_BeyondTheLimit_CountWhateverTheyAskFor()
    {
        var client = ("X-Forwarded-For", "203.0.113.2");

        var answers = new[]
        {
            await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/no/such/route", client),
            await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/workflows?limit=0", client),
            await HttpExchange.GetAsync(_behindTrustedProxy.Http, $"/workflows/{Seed.Running}", client),
            await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/status", client),
        };

        Assert.That(answers.Select(answer => answer.Status), Is.EqualTo(new[]
        {
            HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.TooManyRequests,
        }));
    }

    [Test]
    public async Task LimitedAnswer_ToAnAllowedOrigin_CarriesCorsHeadersSoThePageCanReadIt()
    {
        var client = ("X-Forwarded-For", "203.0.113.3");
        for (var i = 0; i < PerMinute; i++)
        {
            await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/stats", client);
        }

        var limited = await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/stats", client, ("Origin", App));

        Assert.Multiple(() =>
        {
            Assert.That(limited.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), limited.ToString());
            Assert.That(limited.Header("Access-Control-Allow-Origin"), Is.EqualTo(App), limited.ToString());
            Assert.That(limited.Values("Access-Control-Expose-Headers"), Does.Contain("Retry-After"), limited.ToString());
        });
    }

    [Test]
    public async Task HealthEndpoints_AreExemptBeforeAndAfterTheLimit()
    {
        var client = ("X-Forwarded-For", "203.0.113.4");

        var healthBefore = await HealthStatusesAsync(client, times: 10);
        var counted = new List<HttpStatusCode>();
        for (var i = 0; i <= PerMinute; i++)
        {
            counted.Add((await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/workflows?limit=1", client)).Status);
        }

        var healthAfter = await HealthStatusesAsync(client, times: 10);

        Assert.Multiple(() =>
        {
            Assert.That(healthBefore, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(counted, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }), "health requests took no tokens");
            Assert.That(healthAfter, Is.All.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task ForwardedFor_FromATrustedProxy_PartitionsByTheClientItNames()
    {
        await ExhaustAsync(_behindTrustedProxy, "203.0.113.5");

        var sameClient = await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/stats", ("X-Forwarded-For", "203.0.113.5"));
        var otherClient = await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/stats", ("X-Forwarded-For", "203.0.113.6"));

        Assert.Multiple(() =>
        {
            Assert.That(sameClient.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), sameClient.ToString());
            Assert.That(otherClient.Status, Is.EqualTo(HttpStatusCode.OK), otherClient.ToString());
        });
    }

    [Test]
    public async Task ForwardedFor_ThroughSeveralTrustedProxies_IsTheFirstUntrustedAddressFromTheRight()
    {
        // The client, then a second trusted proxy (192.0.2.10) in front of 127.0.0.1.
        await ExhaustAsync(_behindTrustedProxy, "203.0.113.7, 192.0.2.10");

        var direct = await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/stats", ("X-Forwarded-For", "203.0.113.7"));

        Assert.That(direct.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), "the same client, whichever way it came");
    }

    [Test]
    public async Task ForwardedFor_EntriesTheClientWroteItself_AreIgnored()
    {
        // A trusted proxy appends the address it saw (203.0.113.8) after whatever the client sent.
        await ExhaustAsync(_behindTrustedProxy, "198.51.100.1, 203.0.113.8");

        var spoofed = await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/stats", ("X-Forwarded-For", "198.51.100.2, 203.0.113.8"));

        Assert.That(spoofed.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), "a new left-hand entry does not make a new client");
    }

    [Test]
    public async Task ForwardedFor_FromAnUntrustedPeer_IsIgnored()
    {
        await ExhaustAsync(_behindOtherProxies, "203.0.113.9");

        var otherClaim = await HttpExchange.GetAsync(_behindOtherProxies.Http, "/stats", ("X-Forwarded-For", "203.0.113.10"));

        Assert.That(otherClaim.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), "127.0.0.1 is not a trusted proxy there: every request is 127.0.0.1's");
    }

    [Test]
    public async Task LimitZero_ManyRequestsFromOneAddress_AreNeverLimited()
    {
        // The shared API runs with RATE_LIMIT_PER_MINUTE=0, as every test not about the limit does.
        var api = await SeededApi.GetAsync();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 800).Select(async _ => (await api.GetAsync("/stats")).Status));
        var headers = await HttpExchange.GetAsync(api.Http, "/stats");

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(headers.Header("X-RateLimit-Limit"), Is.Null);
        });
    }

    [Test]
    public async Task Limit_NotSet_Is600PerMinute()
    {
        await using var api = await ApiProcess.StartAsync(await SeededApi.ApiRoleUrlAsync(), unset: ["RATE_LIMIT_PER_MINUTE"]);

        var answer = await HttpExchange.GetAsync(api.Http, "/stats");

        Assert.Multiple(() =>
        {
            Assert.That(answer.Header("X-RateLimit-Limit"), Is.EqualTo("600"), answer.ToString());
            Assert.That(answer.Header("X-RateLimit-Remaining"), Is.EqualTo("599"), "the start-up probes of /health took none");
        });
    }

    private async Task<List<HttpStatusCode>> HealthStatusesAsync((string, string) client, int times)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            statuses.Add((await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/health", client)).Status);
            statuses.Add((await HttpExchange.GetAsync(_behindTrustedProxy.Http, "/health/db", client)).Status);
        }

        return statuses;
    }

    private static async Task ExhaustAsync(ApiProcess api, string forwardedFor)
    {
        for (var i = 0; i < PerMinute; i++)
        {
            var answer = await HttpExchange.GetAsync(api.Http, "/stats", ("X-Forwarded-For", forwardedFor));
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), $"request {i + 1} of {PerMinute} is within the limit: {answer}");
        }
    }
}
