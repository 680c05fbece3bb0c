using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Core.Domain.Events;
using Indexer.Worker.EventLog;
using Indexer.Worker.Ingestion;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using Query.Api.Workflows;
using ServiceDefaults.Configuration;
using TestSupport;

namespace Query.Api.Tests.Workflows;

/// <summary>
/// A reason is whatever text the approver's transaction carried. The detail answer is written from the rows' UTF-8
/// without making strings of it; whatever the text, it must come back exactly, escaped as the API's serializer
/// escapes every other string.
/// </summary>
public sealed class WorkflowDetailTextTests
{
    private const string Reason = "\"quoted\" back\\slash </script><script>&' é 日本語 🙂 \u0001 tab\t line\n end";

    private static readonly string Rejected = Seed.WorkflowId("rejected with hostile text");

    private NpgsqlDataSource _database = null!;

    [OneTimeSetUp]
    public async Task WriteTheWorkflow()
    {
        var (adminUrl, _) = await SeededApi.CreateMigratedDatabaseAsync(await SharedPostgres.GetAsync());
        _database = NpgsqlDataSource.Create(DatabaseUrl.Parse(adminUrl));
        await using var connection = await _database.OpenConnectionAsync();
        await CheckpointStore.GetOrCreateAsync(connection, Seed.ChainId, Seed.Contract, 0);
        var range = Seed.Range(
            0,
            201,
            Seed.Log(200, 0, 0, Seed.Alice, (at, ts) => new WorkflowStarted(Rejected, at, ts, Seed.Alice)),
            Seed.Log(201, 0, 0, Seed.Approver, (at, ts) => new DecisionRecorded(Rejected, at, ts, false, Reason)),
            Seed.Log(201, 0, 1, Seed.Approver, (at, ts) => new WorkflowFailed(Rejected, at, ts, Reason)));
        await RangeCommitter.CommitAsync(connection, range, Seed.ChainId, Seed.Contract, CancellationToken.None);
    }

    [OneTimeTearDown]
    public ValueTask CloseTheDatabase() => _database.DisposeAsync();

    [Test]
    public async Task FindAsync_ReasonsOfAnyText_ComeBackExactly_EscapedAsTheSerializerEscapesEveryString()
    {
        var json = new JsonOptions();
        var queries = new WorkflowQueries(_database, Options.Create(json));

        var answer = (await queries.FindAsync([Rejected], CancellationToken.None))[Rejected];

        var detail = JsonNode.Parse(answer)!;
        var text = Encoding.UTF8.GetString(answer);
        var escaped = JsonSerializer.Serialize(Reason, json.SerializerOptions);
        Assert.Multiple(() =>
        {
            Assert.That((string?)detail["workflow"]!["failureReason"], Is.EqualTo(Reason));
            Assert.That((string?)detail["decisions"]![0]!["reason"], Is.EqualTo(Reason));
            Assert.That(detail["events"]!.AsArray().Select(item => (string?)item!["payload"]!["reason"]), Is.EqualTo(new[] { null, Reason, Reason }));
            Assert.That(text.Split(escaped).Length - 1, Is.EqualTo(4), $"each of the four reasons written as {escaped}");
        });
    }
}
