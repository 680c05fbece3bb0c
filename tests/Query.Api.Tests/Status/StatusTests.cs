using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Status;

public sealed class StatusTests
{
    [Test]
    public async Task Status_SeededDatabase_ReportsTheCheckpointAndTheWorkersRow()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/status");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        var status = response.Json.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(
                status.Select(property => property.Key),
                Is.EqualTo(new[] { "chainId", "contractAddress", "chainHead", "confirmedHead", "lastIndexedBlock", "lagBlocks", "eventCount", "replay", "worker", "workers", "reorgs", "proofs", "replication" }));
            Assert.That((long?)status["chainId"], Is.EqualTo(Seed.ChainId));
            Assert.That((string?)status["contractAddress"], Is.EqualTo(Seed.Contract));
            Assert.That((long?)status["lastIndexedBlock"], Is.EqualTo(Seed.LastBlock));
            Assert.That((long?)status["eventCount"], Is.EqualTo(Seed.EventCount));
            Assert.That((long?)status["chainHead"], Is.EqualTo(Seed.ChainHead));
            Assert.That((long?)status["confirmedHead"], Is.EqualTo(Seed.ConfirmedHead));
            Assert.That((long?)status["lagBlocks"], Is.EqualTo(Seed.ConfirmedHead - Seed.LastBlock));
            Assert.That((string?)status["replay"]?["state"], Is.EqualTo("pending"));
            Assert.That((string?)status["worker"]?["instanceId"], Is.EqualTo(Seed.WorkerInstanceId));
            Assert.That((string?)status["worker"]?["rpcCircuit"], Is.EqualTo("closed"));
            Assert.That(status["worker"]?["heartbeatAt"], Is.Not.Null);
            Assert.That((double?)status["worker"]?["heartbeatAgeSeconds"], Is.GreaterThanOrEqualTo(0));
            Assert.That(status["proofs"], Is.Null, "no worker has computed a proof of the seeded database");
            Assert.That(status["workers"]?.AsArray(), Is.Empty, "no worker process ever beat against the seeded database");
            Assert.That((long?)status["reorgs"]?["count"], Is.Zero);
            Assert.That(status["reorgs"]?["deepest"], Is.Null);
        });
    }

    [Test]
    public async Task Status_EventCount_MatchesTheStoredEvents()
    {
        var api = await SeededApi.GetAsync();

        var status = (await api.GetAsync("/status")).Json;
        var timelines = 0;
        foreach (var id in Seed.NewestFirst)
        {
            timelines += (await api.GetAsync($"/workflows/{id}")).Json["events"]!.AsArray().Count;
        }

        Assert.That((long?)status["eventCount"], Is.EqualTo(timelines));
    }
}
