using Indexer.Worker.Replay;
using Indexer.Worker.Status;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Streaming;

/// <summary>A replay swaps in a rebuilt projection without moving the checkpoint: streams hear of it as a status.</summary>
public sealed class StreamReplayTests
{
    [Test]
    public async Task ReplaySwap_SendsAStatus_AndNoWorkflowEvent()
    {
        await using var fixture = await SeededStreamApi.StartAsync();
        await using var stream = await fixture.OpenAsync();
        var opening = await stream.TakeUntilAsync(e => e.Is("status"));

        var status = new StatusStore(fixture.Database, new WorkerInstance("stream-replay", Seed.ChainId, DateTimeOffset.UtcNow));
        var rebuilder = new ProjectionRebuilder(fixture.Database, status, NullLogger<ProjectionRebuilder>.Instance);
        await using (var writing = await fixture.Database.OpenConnectionAsync())
        {
            await rebuilder.RebuildAsync(writing, CancellationToken.None);
        }

        var afterReplay = await stream.TakeUntilAsync(e => e.Is("status"));
        Assert.That(afterReplay.Where(e => !e.IsKeepAlive).Select(e => (e.Event, e.Id)), Is.EqualTo(new (string?, string?)[]
        {
            ("status", SeedIds.EndOf(Seed.LastBlock)),
        }), $"opening:\n{EventStream.Describe(opening)}\nafter the replay:\n{EventStream.Describe(afterReplay)}");
    }
}
