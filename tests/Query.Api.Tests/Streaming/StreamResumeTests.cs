using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Streaming;

/// <summary>
/// Resuming with Last-Event-ID on the shared seeded database (blocks 100..110, checkpoint 110): what is sent
/// is read from the event log, one workflow event per workflow and block at its last event there, in log
/// order, and ids that cannot be resumed get a reset.
/// </summary>
public sealed class StreamResumeTests
{
    /// <summary>Every workflow event of the seeded log: (workflow, id), in log order.</summary>
    private static readonly (string WorkflowId, string Id)[] WholeLog =
    [
        (Seed.Completed, SeedIds.Event(100, 0, 0)),
        (Seed.Rejected, SeedIds.Event(100, 1, 1)),
        (Seed.Completed, SeedIds.Event(101, 0, 0)),
        // The rejection's DecisionRecorded (101/1/1) and WorkflowFailed (101/1/2): one event, at the last.
        (Seed.Rejected, SeedIds.Event(101, 1, 2)),
        (Seed.Failed, SeedIds.Event(102, 0, 0)),
        (Seed.Completed, SeedIds.Event(103, 0, 0)),
        (Seed.Failed, SeedIds.Event(103, 1, 1)),
        (Seed.Completed, SeedIds.Event(104, 0, 0)),
        (Seed.Failed, SeedIds.Event(104, 1, 1)),
        (Seed.Running, SeedIds.Event(105, 0, 0)),
        (Seed.Running, SeedIds.Event(106, 0, 0)),
    ];

    private static readonly string CheckpointId = SeedIds.EndOf(Seed.LastBlock);

    [Test]
    public async Task FromBeforeTheFirstBlock_TheWholeLogComesInOrder_ThenTheStatus()
    {
        var api = await SeededApi.GetAsync();
        await using var stream = await EventStream.OpenAsync(api.Http.BaseAddress!, lastEventId: "-1");

        var events = await stream.TakeUntilAsync(e => e.Is("status"));

        Assert.That(events.Select(e => (e.Event, e.Id)), Is.EqualTo(
            WholeLog.Select(w => ((string?)"workflow", (string?)w.Id)).Append(("status", CheckpointId))), EventStream.Describe(events));
        Assert.That(events.SkipLast(1).Select(e => e.WorkflowId), Is.EqualTo(WholeLog.Select(w => w.WorkflowId)));
        Assert.Multiple(() =>
        {
            Assert.That(events[0].Data, Is.EqualTo(
                $$"""{"workflowId":"{{Seed.Completed}}","status":"completed","phase":"completed","blockNumber":100,"transactionIndex":0,"logIndex":0}"""),
                "a workflow event: the workflow as it is now, at the position of the event that changed it");
            Assert.That(events[3].Data, Is.EqualTo(
                $$"""{"workflowId":"{{Seed.Rejected}}","status":"rejected","phase":"rejected","blockNumber":101,"transactionIndex":1,"logIndex":2}"""));
            Assert.That(events[^2].Data, Is.EqualTo(
                $$"""{"workflowId":"{{Seed.Running}}","status":"running","phase":"approved","blockNumber":106,"transactionIndex":0,"logIndex":0}"""));
            Assert.That(events[^1].Data, Is.EqualTo(
                $$"""{"chainHead":{{Seed.ChainHead}},"confirmedHead":{{Seed.ConfirmedHead}},"lastIndexedBlock":{{Seed.LastBlock}},"lag":2}"""));
        });
    }

    [TestCase(100, 0, 0, 1, TestName = "After the first event")]
    [TestCase(101, 1, 2, 4, TestName = "After a workflow event")]
    [TestCase(101, 1, 1, 3, TestName = "After an event inside a workflow's block (the rejection's decision)")]
    [TestCase(106, 0, 0, 11, TestName = "After the last event")]
    public async Task FromAnEvent_EverythingAfterItComes(long block, int transactionIndex, int logIndex, int alreadySent)
    {
        var api = await SeededApi.GetAsync();
        await using var stream = await EventStream.OpenAsync(
            api.Http.BaseAddress!, lastEventId: SeedIds.Event(block, transactionIndex, logIndex));

        var events = await stream.TakeUntilAsync(e => e.Is("status"));

        Assert.That(events.Select(e => e.Id), Is.EqualTo(WholeLog.Skip(alreadySent).Select(w => w.Id).Append(CheckpointId)), EventStream.Describe(events));
    }

    [Test]
    public async Task FromTheEndOfABlock_EverythingAfterThatBlockComes()
    {
        var api = await SeededApi.GetAsync();
        await using var stream = await EventStream.OpenAsync(api.Http.BaseAddress!, lastEventId: SeedIds.EndOf(105));

        var events = await stream.TakeUntilAsync(e => e.Is("status"));

        Assert.That(events.Select(e => e.Id), Is.EqualTo(new[] { SeedIds.Event(106, 0, 0), CheckpointId }), EventStream.Describe(events));
    }

    [TestCase("abc")]
    [TestCase("100.0.0")]
    [TestCase("100.0.0.0123456789abcdef.1")]
    [TestCase("100.0.0.0123456789ABCDEF", TestName = "Uppercase hash")]
    [TestCase("100.0.0.0123456789abcde", TestName = "Short hash")]
    [TestCase("100.-1.0.0123456789abcdef")]
    [TestCase("100.2147483647.0.0123456789abcdef", TestName = "End-of-block index as an event's")]
    [TestCase("0100.0123456789abcdef", TestName = "Leading zero")]
    [TestCase("-2")]
    [TestCase("99999999999999999999.0123456789abcdef", TestName = "Block beyond a long")]
    public async Task MalformedId_GetsAResetAndTheStreamGoesOnLive(string lastEventId)
    {
        var api = await SeededApi.GetAsync();
        await AssertResetAsync(api.Http.BaseAddress!, lastEventId, "malformed");
    }

    [Test]
    public async Task OversizedId_GetsAReset()
    {
        var api = await SeededApi.GetAsync();
        await AssertResetAsync(api.Http.BaseAddress!, "1" + new string('0', 500), "malformed");
    }

    [TestCase("104.0.0.0000000000000000", TestName = "An event whose block hash differs")]
    [TestCase("104.1.5.{104}", TestName = "A position in the block that holds no event")]
    [TestCase("105.0000000000000000", TestName = "A block end whose hash differs")]
    [TestCase("107.{107}", TestName = "A block end the worker does not keep")]
    [TestCase("111.{111}", TestName = "A block beyond the checkpoint")]
    [TestCase("100", TestName = "A block end without hash at or above the first block")]
    public async Task IdNoLongerInTheLog_GetsAResetReorged(string template)
    {
        var lastEventId = template
            .Replace("{104}", SeedIds.Hash16(104), StringComparison.Ordinal)
            .Replace("{107}", SeedIds.Hash16(107), StringComparison.Ordinal)
            .Replace("{111}", SeedIds.Hash16(111), StringComparison.Ordinal);
        var api = await SeededApi.GetAsync();
        await AssertResetAsync(api.Http.BaseAddress!, lastEventId, "reorged");
    }

    [Test]
    public async Task IdOlderThanTheWindow_GetsAResetExpired_AndOneInsideItResumes()
    {
        await using var fixture = await SeededStreamApi.StartAsync(new Dictionary<string, string> { ["STREAM_RESUME_WINDOW_BLOCKS"] = "5" });

        await AssertResetAsync(fixture.Address, SeedIds.Event(104, 1, 1), "expired");
        await using var inside = await fixture.OpenAsync(lastEventId: SeedIds.EndOf(105));
        var events = await inside.TakeUntilAsync(e => e.Is("status"));
        Assert.That(events.Select(e => e.Id), Is.EqualTo(new[] { SeedIds.Event(106, 0, 0), CheckpointId }), EventStream.Describe(events));
    }

    /// <summary>The reset comes first, with the id the stream goes on from (the checkpoint), then the status; nothing of the log.</summary>
    private static async Task AssertResetAsync(Uri api, string lastEventId, string reason)
    {
        await using var stream = await EventStream.OpenAsync(api, lastEventId: lastEventId);
        var events = await stream.TakeUntilAsync(e => e.Is("status"));
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Event), Is.EqualTo(new[] { "reset", "status" }), EventStream.Describe(events));
            Assert.That(events[0].Data, Is.EqualTo($$"""{"reason":"{{reason}}"}"""));
            Assert.That(events[0].Id, Is.EqualTo(CheckpointId));
        });
    }
}
