using System.Net;
using Core.Domain.Events;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Streaming;

/// <summary>GET /stream?workflowId= narrows the workflow events to one workflow; status and resets still come.</summary>
public sealed class StreamFilterTests
{
    [TestCase("0x123")]
    [TestCase("abc")]
    [TestCase("0x7f00000000000000000000000000000000000000000000000000000000000000&workflowId=0x7f00000000000000000000000000000000000000000000000000000000000000",
        TestName = "Repeated parameter")]
    [TestCase("0x7f0000000000000000000000000000000000000000000000000000000000000g")]
    [TestCase("", TestName = "Empty")]
    public async Task BadWorkflowId_Is400NamingTheParameter(string workflowId)
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync($"/stream?workflowId={workflowId}");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest), response.ToString());
            Assert.That(response.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(response.Json["errors"]!["workflowId"], Is.Not.Null, response.Body);
        });
    }

    [Test]
    public async Task CatchUp_SendsOnlyThatWorkflowsEvents_AnyCaseOfItsId()
    {
        var api = await SeededApi.GetAsync();
        await using var stream = await EventStream.OpenAsync(api.Http.BaseAddress!, $"stream?workflowId={Seed.Completed.ToUpperInvariant().Replace("0X", "0x")}", "-1");

        var events = await stream.TakeUntilAsync(e => e.Is("status"));

        Assert.That(events.Select(e => e.Id), Is.EqualTo(new[]
        {
            SeedIds.Event(100, 0, 0), SeedIds.Event(101, 0, 0), SeedIds.Event(103, 0, 0), SeedIds.Event(104, 0, 0), SeedIds.EndOf(Seed.LastBlock),
        }), EventStream.Describe(events));
        Assert.That(events.SkipLast(1).Select(e => e.WorkflowId), Is.All.EqualTo(Seed.Completed));
    }

    [Test]
    public async Task Live_SendsOnlyThatWorkflowsEvents()
    {
        await using var fixture = await SeededStreamApi.StartAsync();
        await using var narrowed = await fixture.OpenAsync($"stream?workflowId={Seed.Running}");
        await using var everything = await fixture.OpenAsync();
        await narrowed.TakeUntilAsync(e => e.Is("status"));
        await everything.TakeUntilAsync(e => e.Is("status"));
        var other = Seed.WorkflowId("another workflow");

        await fixture.CommitAsync(Seed.Range(111, 112,
            Seed.Log(111, 0, 0, Seed.Bob, (at, ts) => new WorkflowStarted(other, at, ts, Seed.Bob)),
            Seed.Log(111, 1, 1, Seed.Dave, (at, ts) => new PaymentExecuted(Seed.Running, at, ts, Seed.Dave, Seed.Payee, 7))));

        var narrowedEvents = await narrowed.TakeUntilAsync(e => e.Is("status"));
        var allEvents = await everything.TakeUntilAsync(e => e.Is("status"));
        Assert.Multiple(() =>
        {
            Assert.That(narrowedEvents.Where(e => e.Is("workflow")).Select(e => e.WorkflowId), Is.EqualTo(new[] { Seed.Running }), EventStream.Describe(narrowedEvents));
            Assert.That(allEvents.Where(e => e.Is("workflow")).Select(e => e.WorkflowId), Is.EqualTo(new[] { other, Seed.Running }), EventStream.Describe(allEvents));
            Assert.That(narrowedEvents[^1].Id, Is.EqualTo(SeedIds.EndOf(112)));
        });
    }
}
