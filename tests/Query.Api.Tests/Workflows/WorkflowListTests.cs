using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Workflows;

public sealed class WorkflowListTests
{
    private static readonly string[] SummaryKeys = ["workflowId", "status", "initiator", "startedAt", "completedAt"];

    [Test]
    public async Task List_NoParameters_ReturnsEverySummaryNewestFirstWithExactlyTheSeedKeys()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/workflows");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        Assert.That(response.MediaType, Is.EqualTo("application/json"));
        var items = response.Json.AsArray();
        Assert.That(Ids(items), Is.EqualTo(Seed.NewestFirst));
        foreach (var item in items)
        {
            Assert.That(item!.AsObject().Select(property => property.Key), Is.EqualTo(SummaryKeys), item.ToJsonString());
        }
    }

    [Test]
    public async Task List_EachWorkflow_HasItsStatusInitiatorAndTimes()
    {
        var api = await SeededApi.GetAsync();

        var items = (await api.GetAsync("/workflows")).Json.AsArray();

        Assert.That(
            items.Select(item => item!.ToJsonString()),
            Is.EqualTo(new[]
            {
                Summary(Seed.Running, "running", Seed.Dave, Seed.TimestampOf(105), null),
                Summary(Seed.Failed, "failed", Seed.Carol, Seed.TimestampOf(102), Seed.TimestampOf(104)),
                Summary(Seed.Rejected, "rejected", Seed.Bob, Seed.TimestampOf(100), Seed.TimestampOf(101)),
                Summary(Seed.Completed, "completed", Seed.Alice, Seed.TimestampOf(100), Seed.TimestampOf(104)),
            }));
    }

    [TestCase(2, 0, new[] { 0, 1 })]
    [TestCase(2, 2, new[] { 2, 3 })]
    [TestCase(3, 1, new[] { 1, 2, 3 })]
    [TestCase(1, 3, new[] { 3 })]
    [TestCase(1000, 0, new[] { 0, 1, 2, 3 })]
    [TestCase(1, 4, new int[0])]
    [TestCase(5, 1_000_000_000, new int[0])]
    public async Task List_LimitAndOffset_ReturnTheMatchingSliceOfTheNewestFirstOrder(int limit, long offset, int[] expectedIndexes)
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync($"/workflows?limit={limit}&offset={offset}");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        Assert.That(Ids(response.Json.AsArray()), Is.EqualTo(expectedIndexes.Select(index => Seed.NewestFirst[index])));
    }

    [Test]
    public async Task List_PagesOfOne_CoverEveryWorkflowOnceAndRepeatIdentically()
    {
        var api = await SeededApi.GetAsync();

        var firstPass = new List<string>();
        var secondPass = new List<string>();
        for (var offset = 0; offset < Seed.NewestFirst.Length + 1; offset++)
        {
            firstPass.Add((await api.GetAsync($"/workflows?limit=1&offset={offset}")).Body);
        }

        for (var offset = Seed.NewestFirst.Length; offset >= 0; offset--)
        {
            secondPass.Insert(0, (await api.GetAsync($"/workflows?limit=1&offset={offset}")).Body);
        }

        Assert.Multiple(() =>
        {
            Assert.That(secondPass, Is.EqualTo(firstPass), "the same page twice is the same bytes");
            Assert.That(
                firstPass.Take(Seed.NewestFirst.Length).SelectMany(page => Ids(JsonNode.Parse(page)!.AsArray())),
                Is.EqualTo(Seed.NewestFirst));
            Assert.That(firstPass[^1], Is.EqualTo("[]"));
        });
    }

    private static IEnumerable<string?> Ids(JsonArray items) => items.Select(item => (string?)item!["workflowId"]);

    private static string Summary(string id, string status, string initiator, long startedAt, long? completedAt) =>
        new JsonObject
        {
            ["workflowId"] = id,
            ["status"] = status,
            ["initiator"] = initiator,
            ["startedAt"] = startedAt,
            ["completedAt"] = completedAt,
        }.ToJsonString();
}
