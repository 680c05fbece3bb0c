using System.Net;
using Core.Domain.Events;
using Indexer.Worker.Ingestion;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Caching;

/// <summary>
/// ETag, If-None-Match and Cache-Control on the cached answers. Tags are a hash of the answer's bytes, so
/// the tests check that a tag changes when, and only when, the content does, across commits of the worker.
/// </summary>
public sealed class ConditionalGetTests
{
    private static readonly string[] CachedPaths =
        ["/stats", "/workflows", "/workflows?limit=2&offset=1", $"/workflows/{Seed.Running}"];

    private static readonly string NewWorkflow = Seed.WorkflowId("started after the tags were taken");

    [TestCaseSource(nameof(CachedPaths))]
    public async Task Get_CachedAnswer_HasAStrongTagAndMustBeRevalidated(string path)
    {
        var api = await SeededApi.GetAsync();

        var answer = await HttpExchange.GetAsync(api.Http, path);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
            Assert.That(answer.Header("ETag"), Does.Match("^\"[0-9a-f]{32}\"$"), answer.ToString());
            Assert.That(answer.Header("Cache-Control"), Is.EqualTo("no-cache"), answer.ToString());
        });
    }

    [TestCaseSource(nameof(CachedPaths))]
    public async Task IfNoneMatch_TheCurrentTag_Answers304WithoutABody(string path)
    {
        var api = await SeededApi.GetAsync();
        var tag = (await HttpExchange.GetAsync(api.Http, path)).Header("ETag")!;

        var strong = await HttpExchange.GetAsync(api.Http, path, ("If-None-Match", tag));
        var weak = await HttpExchange.GetAsync(api.Http, path, ("If-None-Match", "W/" + tag));
        var inAList = await HttpExchange.GetAsync(api.Http, path, ("If-None-Match", $"\"0123\", {tag}"));
        var any = await HttpExchange.GetAsync(api.Http, path, ("If-None-Match", "*"));

        Assert.Multiple(() =>
        {
            foreach (var answer in new[] { strong, weak, inAList, any })
            {
                Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.NotModified), answer.ToString());
                Assert.That(answer.Body, Is.Empty, answer.ToString());
                Assert.That(answer.Header("Cache-Control"), Is.EqualTo("no-cache"), answer.ToString());
            }

            Assert.That(strong.Header("ETag"), Is.EqualTo(tag));
            Assert.That(weak.Header("ETag"), Is.EqualTo("W/" + tag), "the 304 repeats the tag as the client holds it");
        });
    }

    [TestCase("\"0123456789abcdef0123456789abcdef\"")]
    [TestCase("W/\"other\"")]
    [TestCase("not a tag")]
    [TestCase("\"unterminated")]
    [TestCase("")]
    public async Task IfNoneMatch_AnotherOrMalformedTag_AnswersTheBody(string ifNoneMatch)
    {
        var api = await SeededApi.GetAsync();

        var answer = await HttpExchange.GetAsync(api.Http, "/stats", ("If-None-Match", ifNoneMatch));

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
            Assert.That(answer.Text, Does.StartWith("{\"total\":"), answer.ToString());
        });
    }

    [Test]
    public async Task Tags_OfDifferentAnswers_Differ_AndOfOneAnswerAskedDifferently_AreEqual()
    {
        var api = await SeededApi.GetAsync();

        var one = await TagAsync(api, "/workflows?limit=1");
        var two = await TagAsync(api, "/workflows?limit=2");
        var lower = await TagAsync(api, $"/workflows/{Seed.Running}");
        var upper = await TagAsync(api, $"/workflows/0x{Seed.Running[2..].ToUpperInvariant()}");
        var completed = await TagAsync(api, $"/workflows/{Seed.Completed}");

        Assert.Multiple(() =>
        {
            Assert.That(one, Is.Not.EqualTo(two));
            Assert.That(lower, Is.EqualTo(upper), "the same workflow, the same bytes");
            Assert.That(lower, Is.Not.EqualTo(completed));
        });
    }

    [TestCase("/workflows/0x0000000000000000000000000000000000000000000000000000000000000000")]
    [TestCase("/workflows?limit=0")]
    [TestCase("/no/such/route")]
    public async Task Problems_HaveNoTag(string path)
    {
        var api = await SeededApi.GetAsync();

        var answer = await HttpExchange.GetAsync(api.Http, path, ("If-None-Match", "*"));

        Assert.Multiple(() =>
        {
            Assert.That((int)answer.Status, Is.InRange(400, 499), answer.ToString());
            Assert.That(answer.Header("ETag"), Is.Null, answer.ToString());
        });
    }

    [Test]
    public async Task Commits_ChangeTheTagsOfTheAnswersTheyChange_AndOnlyThose()
    {
        await using var fixture = await Fixture.StartAsync();
        var api = fixture.Api;
        var stats = await TagAsync(api, "/stats");
        var page = await TagAsync(api, "/workflows");
        var running = await TagAsync(api, $"/workflows/{Seed.Running}");
        var completed = await TagAsync(api, $"/workflows/{Seed.Completed}");

        // A new workflow: the counts and the first page change, no existing workflow does.
        await fixture.CommitAsync(Seed.Range(111, 112, Seed.Log(111, 0, 0, Seed.Alice, (at, ts) => new WorkflowStarted(NewWorkflow, at, ts, Seed.Alice))));
        var statsAfterStart = await HttpExchange.GetAsync(api.Http, "/stats", ("If-None-Match", stats));
        var pageAfterStart = await HttpExchange.GetAsync(api.Http, "/workflows", ("If-None-Match", page));
        var runningAfterStart = await HttpExchange.GetAsync(api.Http, $"/workflows/{Seed.Running}", ("If-None-Match", running));
        var completedAfterStart = await HttpExchange.GetAsync(api.Http, $"/workflows/{Seed.Completed}", ("If-None-Match", completed));

        // A payment of the running workflow: its answer changes; the counts do not.
        var newStats = statsAfterStart.Header("ETag")!;
        await fixture.CommitAsync(Seed.Range(113, 114, Seed.Log(113, 0, 0, Seed.Dave, (at, ts) => new PaymentExecuted(Seed.Running, at, ts, Seed.Dave, Seed.Payee, 7))));
        var runningAfterPayment = await HttpExchange.GetAsync(api.Http, $"/workflows/{Seed.Running}", ("If-None-Match", running));
        var statsAfterPayment = await HttpExchange.GetAsync(api.Http, "/stats", ("If-None-Match", newStats));

        Assert.Multiple(() =>
        {
            Assert.That(statsAfterStart.Status, Is.EqualTo(HttpStatusCode.OK), statsAfterStart.ToString());
            Assert.That(statsAfterStart.Text, Does.StartWith("{\"total\":5,"), statsAfterStart.ToString());
            Assert.That(newStats, Is.Not.EqualTo(stats));
            Assert.That(pageAfterStart.Status, Is.EqualTo(HttpStatusCode.OK), pageAfterStart.ToString());
            Assert.That(pageAfterStart.Text, Does.Contain(NewWorkflow));
            Assert.That(runningAfterStart.Status, Is.EqualTo(HttpStatusCode.NotModified), "read again for the new version, the same bytes");
            Assert.That(completedAfterStart.Status, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(runningAfterPayment.Status, Is.EqualTo(HttpStatusCode.OK), runningAfterPayment.ToString());
            Assert.That(runningAfterPayment.Header("ETag"), Is.Not.EqualTo(running));
            Assert.That(runningAfterPayment.Text, Does.Contain("\"settlements\":[{"), runningAfterPayment.ToString());
            Assert.That(statsAfterPayment.Status, Is.EqualTo(HttpStatusCode.NotModified), "a payment changes no count");
        });
    }

    private static async Task<string> TagAsync(ApiProcess api, string path)
    {
        var answer = await HttpExchange.GetAsync(api.Http, path);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), $"{path}: {answer}");
        return answer.Header("ETag")!;
    }

    /// <summary>A seeded database of its own, written as the worker writes, and an API that sees every commit at once (CACHE_MAX_STALENESS_MS=0).</summary>
    private sealed class Fixture(ApiProcess api, NpgsqlDataSource database) : IAsyncDisposable
    {
        public ApiProcess Api { get; } = api;

        public static async Task<Fixture> StartAsync()
        {
            var (adminUrl, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(await SharedPostgres.GetAsync());
            var database = NpgsqlDataSource.Create(DatabaseUrl.Parse(adminUrl));
            try
            {
                return new Fixture(await ApiProcess.StartAsync(apiRoleUrl, new Dictionary<string, string> { ["CACHE_MAX_STALENESS_MS"] = "0" }), database);
            }
            catch
            {
                await database.DisposeAsync();
                throw;
            }
        }

        public async Task CommitAsync(IngestedRange range)
        {
            await using var connection = await database.OpenConnectionAsync();
            await RangeCommitter.CommitAsync(connection, range, Seed.ChainId, Seed.Contract, CancellationToken.None);
        }

        public async ValueTask DisposeAsync()
        {
            await Api.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
