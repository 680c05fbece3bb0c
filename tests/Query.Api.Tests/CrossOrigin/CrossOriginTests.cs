using System.Net;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.CrossOrigin;

/// <summary>
/// CORS as a browser meets it: one API with two listed origins (written with odd case and spaces, as an
/// operator might), one with "*", and the default (the shared API, no CORS_ORIGINS).
/// </summary>
public sealed class CrossOriginTests
{
    private const string App = "https://app.example.com";
    private const string DevServer = "http://localhost:5173";

    private static readonly string[] ClientHeaders = ["Link", "ETag", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining"];

    private ApiProcess _listed = null!;
    private ApiProcess _any = null!;

    [OneTimeSetUp]
    public async Task StartApis()
    {
        var database = await SeededApi.ApiRoleUrlAsync();
        _listed = await ApiProcess.StartAsync(database, new Dictionary<string, string> { ["CORS_ORIGINS"] = " HTTPS://App.Example.com:443 ,http://localhost:5173" });
        _any = await ApiProcess.StartAsync(database, new Dictionary<string, string> { ["CORS_ORIGINS"] = "*" });
    }

    [OneTimeTearDown]
    public async Task StopApis()
    {
        await _listed.DisposeAsync();
        await _any.DisposeAsync();
    }

    [TestCase(App, "/workflows")]
    [TestCase(DevServer, "/stats")]
    [TestCase(App, $"/workflows/0x{"0000000000000000000000000000000000000000000000000000000000000000"}")]
    public async Task Get_FromListedOrigin_AllowsItAndExposesTheClientHeaders(string origin, string path)
    {
        var answer = await HttpExchange.GetAsync(_listed.Http, path, ("Origin", origin));

        Assert.Multiple(() =>
        {
            Assert.That(answer.Header("Access-Control-Allow-Origin"), Is.EqualTo(origin), answer.ToString());
            Assert.That(answer.Values("Access-Control-Expose-Headers"), Is.SupersetOf(ClientHeaders).IgnoreCase, answer.ToString());
            Assert.That(answer.Values("Vary"), Does.Contain("Origin"), "a cache must not hand one origin's answer to another");
            Assert.That(answer.Header("Access-Control-Allow-Credentials"), Is.Null, "the API has no credentials to share");
        });
    }

    [TestCase("https://evil.example")]
    [TestCase("https://app.example.com.evil.example")]
    [TestCase("http://app.example.com")]
    [TestCase("https://app.example.com:8443")]
    [TestCase("null")]
    public async Task Get_FromOtherOrigin_HasNoCorsHeaders(string origin)
    {
        var answer = await HttpExchange.GetAsync(_listed.Http, "/stats", ("Origin", origin));

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), "the browser, not the API, withholds the answer");
            Assert.That(answer.Headers.Keys.Where(name => name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)), Is.Empty, answer.ToString());
        });
    }

    [Test]
    public async Task Preflight_FromListedOrigin_AllowsGetWithTheRequestedHeaders()
    {
        var answer = await HttpExchange.SendAsync(
            _listed.Http,
            HttpMethod.Options,
            "/workflows?limit=5",
            ("Origin", App),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "if-none-match,last-event-id"));

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.NoContent), answer.ToString());
            Assert.That(answer.Header("Access-Control-Allow-Origin"), Is.EqualTo(App), answer.ToString());
            Assert.That(answer.Values("Access-Control-Allow-Methods"), Does.Contain("GET"), answer.ToString());
            Assert.That(answer.Values("Access-Control-Allow-Headers"), Is.SupersetOf(new[] { "if-none-match", "last-event-id" }), answer.ToString());
            Assert.That(answer.Header("Access-Control-Max-Age"), Is.EqualTo("3600"), answer.ToString());
        });
    }

    [Test]
    public async Task Preflight_FromOtherOrigin_HasNoCorsHeaders()
    {
        var answer = await HttpExchange.SendAsync(
            _listed.Http, HttpMethod.Options, "/workflows", ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET"));

        Assert.That(answer.Headers.Keys.Where(name => name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)), Is.Empty, answer.ToString());
    }

    [Test]
    public async Task Preflight_ForAMethodTheApiDoesNotServe_DoesNotAllowIt()
    {
        var answer = await HttpExchange.SendAsync(
            _listed.Http, HttpMethod.Options, "/workflows", ("Origin", App), ("Access-Control-Request-Method", "DELETE"));

        Assert.That(answer.Values("Access-Control-Allow-Methods"), Does.Not.Contain("DELETE"), answer.ToString());
    }

    [TestCase("https://anything.example")]
    [TestCase("http://localhost:1234")]
    public async Task Get_AnyOriginAllowed_AnswersStar(string origin)
    {
        var answer = await HttpExchange.GetAsync(_any.Http, "/workflows?limit=1", ("Origin", origin));

        Assert.Multiple(() =>
        {
            Assert.That(answer.Header("Access-Control-Allow-Origin"), Is.EqualTo("*"), answer.ToString());
            Assert.That(answer.Values("Access-Control-Expose-Headers"), Is.SupersetOf(ClientHeaders).IgnoreCase, answer.ToString());
        });
    }

    [Test]
    public async Task Preflight_AnyOriginAllowed_AnswersStar()
    {
        var answer = await HttpExchange.SendAsync(
            _any.Http, HttpMethod.Options, "/stats", ("Origin", "https://anything.example"), ("Access-Control-Request-Method", "GET"));

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.NoContent), answer.ToString());
            Assert.That(answer.Header("Access-Control-Allow-Origin"), Is.EqualTo("*"), answer.ToString());
        });
    }

    [Test]
    public async Task Get_WithoutCorsOrigins_HasNoCorsHeaders()
    {
        var api = await SeededApi.GetAsync();

        var get = await HttpExchange.GetAsync(api.Http, "/stats", ("Origin", App));
        var preflight = await HttpExchange.SendAsync(api.Http, HttpMethod.Options, "/stats", ("Origin", App), ("Access-Control-Request-Method", "GET"));

        Assert.Multiple(() =>
        {
            Assert.That(get.Headers.Keys.Where(name => name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)), Is.Empty, get.ToString());
            Assert.That(preflight.Headers.Keys.Where(name => name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)), Is.Empty, preflight.ToString());
        });
    }
}
