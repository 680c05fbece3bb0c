using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Core.Domain.Events;
using Indexer.Worker.Ingestion;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Streaming;

/// <summary>Keep-alives, the client limit, slow clients, shutdown and database outages, on a seeded database of each test's own.</summary>
public sealed class StreamLifecycleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task IdleStream_GetsAKeepAliveCommentEveryInterval()
    {
        await using var fixture = await SeededStreamApi.StartAsync(new Dictionary<string, string> { ["STREAM_KEEP_ALIVE_MS"] = "200" });
        await using var stream = await fixture.OpenAsync();
        var opening = await stream.NextAsync();
        var clock = Stopwatch.StartNew();

        var next = new[] { await stream.NextAsync(), await stream.NextAsync(), await stream.NextAsync() };

        Assert.Multiple(() =>
        {
            Assert.That(opening.Is("status"), opening.ToString());
            Assert.That(next.Select(e => e.IsKeepAlive), Is.All.True, EventStream.Describe(next));
            Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(300)), "three intervals of 200 ms, the first maybe partly gone");
        });
    }

    [Test]
    public async Task BeyondStreamMaxClients_Is503ProblemDetails_UntilAStreamCloses()
    {
        await using var fixture = await SeededStreamApi.StartAsync(new Dictionary<string, string> { ["STREAM_MAX_CLIENTS"] = "2" });
        await using var first = await fixture.OpenAsync();
        var second = await fixture.OpenAsync();

        using (var refused = await fixture.Api.Http.GetAsync("stream", HttpCompletionOption.ResponseHeadersRead))
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Multiple(() =>
            {
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body);
                Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
                Assert.That(body, Does.Contain("Too many streams"));
            });
        }

        var health = await fixture.Api.GetAsync("/health");
        Assert.That(health.Status, Is.EqualTo(HttpStatusCode.OK), "other requests are not limited by streams");

        await second.DisposeAsync();
        EventStream? third = null;
        await Eventually.TrueAsync(
            async () => (third = (await EventStream.TryOpenAsync(fixture.Address)).Stream) is not null,
            Patience,
            "a stream opens again once one of the two closed");
        await third!.DisposeAsync();
    }

    [Test]
    public async Task ClientThatDoesNotRead_IsDropped_WhileOthersReceiveEverything_AndTheApiAnswers()
    {
        const int blocks = 20;
        const int eventsPerBlock = 2000;
        await using var fixture = await SeededStreamApi.StartAsync(new Dictionary<string, string>
        {
            ["STREAM_QUEUE_BATCHES"] = "4",
            ["STREAM_KEEP_ALIVE_MS"] = "100",
        });
        await using var reader = await fixture.OpenAsync();
        await reader.TakeUntilAsync(e => e.Is("status"));
        using var stalled = await OpenWithoutReadingAsync(fixture.Address);

        // About 10 MB of events: more than the kernel buffers for a connection whose client does not read.
        for (var block = Seed.LastBlock + 1; block <= Seed.LastBlock + blocks; block++)
        {
            await fixture.CommitAsync(ManyStarts(block, eventsPerBlock));
            var health = await fixture.Api.GetAsync("/health");
            Assert.That(health.Status, Is.EqualTo(HttpStatusCode.OK), "the API answers while a stream is stuck");
        }

        var lastStatusId = SeedIds.EndOf(Seed.LastBlock + blocks);
        var received = await reader.TakeUntilAsync(e => e.Is("status") && e.Id == lastStatusId, TimeSpan.FromMinutes(2));
        await fixture.Api.WaitForLineAsync(line => line.Contains("Dropped a stream", StringComparison.Ordinal), Patience);

        Assert.Multiple(async () =>
        {
            Assert.That(received.Count(e => e.Is("workflow")), Is.EqualTo(blocks * eventsPerBlock), "the reading stream got every event");
            Assert.That(await ReadsToTheEndAsync(stalled), Is.True, "the server closed the stalled stream's connection");
            Assert.That((await fixture.Api.GetAsync("/health")).Status, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Shutdown_EndsEveryStreamCleanly_AndTheProcessExits()
    {
        await using var fixture = await SeededStreamApi.StartAsync();
        await using var live = await fixture.OpenAsync();
        await using var resumed = await fixture.OpenAsync(lastEventId: "-1");
        await live.TakeUntilAsync(e => e.Is("status"));
        await resumed.TakeUntilAsync(e => e.Is("status"));

        using (var terminate = Process.Start("kill", ["-TERM", fixture.Api.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await terminate.WaitForExitAsync();
        }

        Assert.Multiple(async () =>
        {
            Assert.That(async () => await live.Ended.WaitAsync(Patience), Throws.Nothing, "the live stream ends with its response complete");
            Assert.That(async () => await resumed.Ended.WaitAsync(Patience), Throws.Nothing, "the resumed stream too");
            Assert.That(await fixture.Api.WaitForExitAsync(Patience), Is.Zero, fixture.Api.Output);
        });
    }

    [Test]
    public async Task DatabaseOutage_StreamsGetOnlyKeepAlives_ThenCatchUpFromTheLog()
    {
        await using var server = await PostgresServer.StartAsync();
        if (!server.CanStopAndStartAgain)
        {
            Assert.Ignore("The server of TEST_DATABASE_URL cannot be stopped by tests.");
        }

        await using var fixture = await SeededStreamApi.StartAsync(new Dictionary<string, string> { ["STREAM_KEEP_ALIVE_MS"] = "200" }, server);
        await using var stream = await fixture.OpenAsync();
        await stream.TakeUntilAsync(e => e.Is("status"));

        await server.StopAsync();
        var duringOutage = new[] { await stream.NextAsync(), await stream.NextAsync(), await stream.NextAsync(), await stream.NextAsync() };
        Assert.That(duringOutage.Select(e => e.IsKeepAlive), Is.All.True, EventStream.Describe(duringOutage));

        await server.StartAgainAsync();
        var started = Seed.WorkflowId("started after the outage");
        // Committed as soon as the server is back, likely before the API listens again: its notification is then
        // lost, and the stream gets the event from the log when the API reconnects.
        await fixture.CommitAsync(Seed.Range(111, 111, Seed.Log(111, 0, 0, Seed.Bob, (at, ts) => new WorkflowStarted(started, at, ts, Seed.Bob))));

        var after = await stream.TakeUntilAsync(e => e.Is("status"), Patience);
        Assert.That(after.Where(e => !e.IsKeepAlive).Select(e => (e.Event, e.Id)), Is.EqualTo(new (string?, string?)[]
        {
            ("workflow", SeedIds.Event(111, 0, 0)),
            ("status", SeedIds.EndOf(111)),
        }), EventStream.Describe(after));
        Assert.That(after.First(e => e.Is("workflow")).WorkflowId, Is.EqualTo(started));
    }

    private static IngestedRange ManyStarts(long block, int count) => Seed.Range(block, block, Enumerable.Range(0, count)
        .Select(i => Seed.Log(block, i, i, Seed.Alice, (at, ts) => new WorkflowStarted(Seed.WorkflowId($"bulk {block} {i}"), at, ts, Seed.Alice)))
        .ToArray());

    /// <summary>A client that asks for a stream and never reads, with a small receive buffer so the server's writes back up soon.</summary>
    private static async Task<Socket> OpenWithoutReadingAsync(Uri api)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(api.Host, api.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /stream HTTP/1.1\r\nHost: {api.Authority}\r\n\r\n"));
        return socket;
    }

    /// <returns>Whether the connection ends (closed or reset) once its buffered bytes are read.</returns>
    private static async Task<bool> ReadsToTheEndAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(Patience);
        try
        {
            while (await socket.ReceiveAsync(buffer, deadline.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
