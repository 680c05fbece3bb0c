using System.Net;
using System.Numerics;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Stats;

/// <summary>GET /stats/timeline over the generated history, compared bucket by bucket with the model.</summary>
public sealed class TimelineTests
{
    private const long Hour = 3600, Day = 86_400;

    private static IReadOnlyList<GeneratedWorkflow> All => GeneratedApi.NewestFirst;

    private static long FirstStart => All.Min(workflow => workflow.StartedAt);

    private static long NewestEventTime => Seed.TimestampOf(All.SelectMany(workflow => workflow.Events).Max(e => e.Event.Position.BlockNumber));

    [Test]
    public async Task Hours_AroundTheWholeHistory_CountEveryBucketWithEmptyHoursAsZeros()
    {
        var api = await GeneratedApi.GetAsync();
        var from = FirstStart - (3 * Hour);
        var to = NewestEventTime + (2 * Hour);

        var response = await api.GetAsync($"/stats/timeline?bucket=hour&from={from}&to={to}");

        var expected = Expected("hour", Hour, from / Hour * Hour, (int)((to / Hour) - (from / Hour) + 1));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        Assert.That(response.Body, Is.EqualTo(expected.ToJsonString()));
        Assert.That(expected["buckets"]!.AsArray().Take(3).Select(bucket => bucket!["started"]!.GetValue<int>()), Is.All.Zero, "hours without activity are present");
    }

    [Test]
    public async Task Days_FromTwoDaysBefore_CountEveryBucket()
    {
        var api = await GeneratedApi.GetAsync();
        var from = FirstStart - (2 * Day);

        var response = await api.GetAsync($"/stats/timeline?bucket=day&from={from}&to={NewestEventTime}");

        Assert.That(response.Body, Is.EqualTo(Expected("day", Day, from / Day * Day, (int)((NewestEventTime / Day) - (from / Day) + 1)).ToJsonString()));
    }

    [Test]
    public async Task Settled_AmountsAbove2To64_AreSummedExactly()
    {
        var api = await GeneratedApi.GetAsync();

        var response = await api.GetAsync($"/stats/timeline?bucket=day&from={FirstStart}&to={NewestEventTime}");

        var settled = response.Json["buckets"]!.AsArray().Select(bucket => BigInteger.Parse((string)bucket!["settled"]!)).ToList();
        var paid = All.Where(workflow => workflow.Amount is not null).Select(workflow => workflow.Amount!.Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(paid, Is.All.GreaterThan(BigInteger.One << 64));
            Assert.That(settled.Aggregate(BigInteger.Add), Is.EqualTo(paid.Aggregate(BigInteger.Add)));
            Assert.That(settled.Max(), Is.GreaterThan(BigInteger.One << 70));
        });
    }

    [TestCase("bucket=hour", "hour", Hour, 24)]
    [TestCase("", "hour", Hour, 24)]
    [TestCase("bucket=day", "day", Day, 30)]
    public async Task Defaults_WithoutFromAndTo_EndWithTheBucketOfTheNewestEvent(string query, string bucket, long size, int count)
    {
        var api = await GeneratedApi.GetAsync();

        var response = await api.GetAsync($"/stats/timeline?{query}");

        var lastStart = NewestEventTime / size * size;
        Assert.That(response.Body, Is.EqualTo(Expected(bucket, size, lastStart - ((count - 1) * size), count).ToJsonString()));
    }

    [Test]
    public async Task Defaults_WithFromOnly_TwentyFourHoursFromIt()
    {
        var api = await GeneratedApi.GetAsync();
        var from = FirstStart + 1234;

        var response = await api.GetAsync($"/stats/timeline?from={from}");

        Assert.That(response.Body, Is.EqualTo(Expected("hour", Hour, from / Hour * Hour, 24).ToJsonString()));
    }

    [Test]
    public async Task Defaults_WithToOnly_TwentyFourHoursEndingWithIt()
    {
        var api = await GeneratedApi.GetAsync();
        var to = FirstStart + (5 * Hour);

        var response = await api.GetAsync($"/stats/timeline?bucket=hour&to={to}");

        Assert.That(response.Body, Is.EqualTo(Expected("hour", Hour, (to / Hour * Hour) - (23 * Hour), 24).ToJsonString()));
    }

    [Test]
    public async Task ThousandBuckets_AreAnswered()
    {
        var api = await GeneratedApi.GetAsync();
        var from = FirstStart / Hour * Hour;

        var response = await api.GetAsync($"/stats/timeline?bucket=hour&from={from}&to={from + (999 * Hour) + 3599}");

        Assert.That(response.Body, Is.EqualTo(Expected("hour", Hour, from, 1000).ToJsonString()));
    }

    /// <summary>The answer the model gives for <paramref name="count"/> buckets of <paramref name="size"/> seconds from <paramref name="first"/>.</summary>
    private static JsonObject Expected(string bucket, long size, long first, int count)
    {
        var buckets = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var start = first + (i * size);
            bool In(long? time) => time >= start && time < start + size;
            buckets.Add(new JsonObject
            {
                ["start"] = start,
                ["started"] = All.Count(workflow => In(workflow.StartedAt)),
                ["completed"] = All.Count(workflow => workflow.Status == "completed" && In(workflow.CompletedAt)),
                ["failed"] = All.Count(workflow => workflow.Status == "failed" && In(workflow.CompletedAt)),
                ["rejected"] = All.Count(workflow => workflow.Status == "rejected" && In(workflow.CompletedAt)),
                ["settled"] = All.Where(workflow => workflow.Amount is not null && In(workflow.PaidAt))
                    .Aggregate(BigInteger.Zero, (sum, workflow) => sum + workflow.Amount!.Value).ToString(),
            });
        }

        return new JsonObject { ["bucket"] = bucket, ["from"] = first, ["to"] = first + (count * size) - 1, ["buckets"] = buckets };
    }
}
