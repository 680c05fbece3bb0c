using Core.Domain.Events;
using Indexer.Worker.Ingestion;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.OpenApi;

/// <summary>
/// The shared seed has no anomalies, so the anomaly shapes (null and non-null phaseBefore) are checked
/// on a database of their own: the seed and one more range the state machine does not allow.
/// </summary>
public sealed class AnomalyConformanceTests
{
    private static readonly string WithoutStart = Seed.WorkflowId("decision without start");

    [Test]
    public async Task WorkflowsWithAnomaliesAreAnsweredAsTheDocumentSays()
    {
        var (adminUrl, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(await SharedPostgres.GetAsync());
        await AddAnomaliesAsync(adminUrl);
        await using var api = await ApiProcess.StartAsync(apiRoleUrl);
        var document = await ApiDocument.FetchAsync(api);

        SampleRequest[] samples =
        [
            new("GET /workflows/{id}", $"/workflows/{WithoutStart}", 200),
            new("GET /workflows/{id}", $"/workflows/{Seed.Completed}", 200),
        ];
        var problems = new List<string>();
        foreach (var sample in samples)
        {
            problems.AddRange(await ResponseConformance.CheckAsync(api, document, sample));
        }

        var anomalies = (await api.GetAsync($"/workflows/{WithoutStart}")).Json["anomalies"]!.AsArray();
        var duplicate = (await api.GetAsync($"/workflows/{Seed.Completed}")).Json["anomalies"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That((string?)anomalies.Single()!["kind"], Is.EqualTo("missing_start"), "the sample has what it is meant to check");
            Assert.That(anomalies.Single()!["phaseBefore"], Is.Null);
            Assert.That((string?)duplicate.Single()!["phaseBefore"], Is.EqualTo("completed"));
        });
    }

    /// <summary>A decision for a workflow never started, and a second start of a completed one.</summary>
    private static async Task AddAnomaliesAsync(string adminUrl)
    {
        await using var database = NpgsqlDataSource.Create(DatabaseUrl.Parse(adminUrl));
        await using var connection = await database.OpenConnectionAsync();
        var range = Seed.Range(
            Seed.LastBlock + 1,
            Seed.LastBlock + 2,
            Seed.Log(Seed.LastBlock + 1, 0, 0, Seed.Approver, (at, ts) => new DecisionRecorded(WithoutStart, at, ts, true, Seed.ApprovedReason)),
            Seed.Log(Seed.LastBlock + 2, 0, 0, Seed.Alice, (at, ts) => new WorkflowStarted(Seed.Completed, at, ts, Seed.Alice)));
        await RangeCommitter.CommitAsync(connection, range, Seed.ChainId, Seed.Contract, CancellationToken.None);
    }
}
