using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Workflows;

/// <summary>
/// GET /workflows and GET /stats with every combination of filters, over the generated history: each
/// answer holds exactly the workflows the model says, newest first, whatever the case of the addresses.
/// </summary>
public sealed class WorkflowFilterTests
{
    private static IReadOnlyList<GeneratedWorkflow> All => GeneratedApi.NewestFirst;

    /// <summary>Every subset of the five filters (a bit each), with two sets of values.</summary>
    public static IEnumerable<TestCaseData> Combinations()
    {
        foreach (var values in new[] { FilterValues.First, FilterValues.Second })
        {
            for (var mask = 0; mask < 32; mask++)
            {
                yield return new TestCaseData(values.Name, mask).SetArgDisplayNames(values.Name, values.Subset(mask).Describe());
            }
        }
    }

    [TestCaseSource(nameof(Combinations))]
    public async Task List_FilterCombination_ReturnsExactlyTheMatchingWorkflowsNewestFirst(string values, int mask)
    {
        var api = await GeneratedApi.GetAsync();
        var filter = FilterValues.Named(values).Subset(mask);

        var response = await api.GetAsync($"/workflows?limit=1000{filter.Query}");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        Assert.That(Ids(response.Json), Is.EqualTo(All.Where(filter.Matches).Select(workflow => workflow.Id)));
        Assert.That(response.Header("Link"), Is.Null, "everything fit on one page");
    }

    [TestCaseSource(nameof(Combinations))]
    public async Task Stats_FilterCombination_CountsExactlyTheMatchingWorkflows(string values, int mask)
    {
        var api = await GeneratedApi.GetAsync();
        var filter = FilterValues.Named(values).Subset(mask);

        var response = await api.GetAsync($"/stats?{filter.Query}");

        var matching = All.Where(filter.Matches).ToList();
        var expected = new JsonObject
        {
            ["total"] = matching.Count,
            ["running"] = matching.Count(workflow => workflow.Status == "running"),
            ["completed"] = matching.Count(workflow => workflow.Status == "completed"),
            ["failed"] = matching.Count(workflow => workflow.Status == "failed"),
            ["rejected"] = matching.Count(workflow => workflow.Status == "rejected"),
        };
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        Assert.That(response.Body, Is.EqualTo(expected.ToJsonString()));
    }

    [Test]
    public void Combinations_OfAllFiveFilters_StillMatchWorkflows()
    {
        // Otherwise the combination tests would compare empty lists with empty lists.
        Assert.That(All.Where(FilterValues.Second.Subset(31).Matches), Is.Not.Empty);
        Assert.That(All.Where(FilterValues.First.Subset(0b00111).Matches), Is.Not.Empty);
    }

    [Test]
    public async Task List_Unfiltered_EverySummaryHasTheModelsValues()
    {
        var api = await GeneratedApi.GetAsync();

        var items = (await api.GetAsync("/workflows?limit=1000")).Json.AsArray();

        Assert.That(
            items.Select(item => item!.ToJsonString()),
            Is.EqualTo(All.Select(workflow => new JsonObject
            {
                ["workflowId"] = workflow.Id,
                ["status"] = workflow.Status,
                ["initiator"] = workflow.Initiator,
                ["startedAt"] = workflow.StartedAt,
                ["completedAt"] = workflow.CompletedAt,
            }.ToJsonString())));
    }

    [TestCase("status=failed&status=rejected", "status=REJECTED&status=failed&status=failed")]
    [TestCase("", "status=running&status=completed&status=failed&status=rejected")]
    [TestCase("initiator={0}", "initiator={1}")]
    public async Task List_SameFilterSpelledDifferently_SameAnswer(string plain, string spelled)
    {
        var api = await GeneratedApi.GetAsync();
        var initiator = GeneratedHistory.Initiators[2];

        var first = await api.GetAsync("/workflows?limit=7&" + string.Format(plain, initiator, GeneratedHistory.Shouted(initiator)));
        var second = await api.GetAsync("/workflows?limit=7&" + string.Format(spelled, initiator, GeneratedHistory.Shouted(initiator)));

        Assert.That(second.Body, Is.EqualTo(first.Body));
        Assert.That(second.Header("Link"), Is.EqualTo(first.Header("Link")), "the next link is written from the normalized filter");
    }

    [Test]
    public async Task List_StartedBounds_AreInclusive()
    {
        var api = await GeneratedApi.GetAsync();
        var at = GeneratedHistory.Workflow(40).StartedAt;

        var response = await api.GetAsync($"/workflows?startedFrom={at}&startedTo={at}");

        Assert.That(Ids(response.Json), Is.EqualTo(new[] { GeneratedHistory.Workflow(41).Id, GeneratedHistory.Workflow(40).Id }), "both start in that block");
    }

    internal static IEnumerable<string> Ids(JsonNode page) => page.AsArray().Select(item => (string)item!["workflowId"]!);

    /// <summary>One combination of filters: its query string (leading '&amp;') and what it matches.</summary>
    private sealed record Filter(string Query, Func<GeneratedWorkflow, bool> Matches, string Name)
    {
        public string Describe() => Name.Length == 0 ? "no filter" : Name;
    }

    /// <summary>A value for each filter; addresses in upper-case hex, statuses in mixed case, to show the matching ignores case.</summary>
    private sealed record FilterValues(string Name, string[] Statuses, string Initiator, string Payee, long StartedFrom, long StartedTo)
    {
        public static readonly FilterValues First = new(
            "first", ["failed", "Rejected"], GeneratedHistory.Initiators[1], GeneratedHistory.Payees[2],
            GeneratedHistory.Workflow(30).StartedAt, GeneratedHistory.Workflow(100).StartedAt);

        public static FilterValues Named(string name) => name == First.Name ? First : Second;

        public static readonly FilterValues Second = new(
            "second", ["completed"], GeneratedHistory.Initiators[0], GeneratedHistory.Payees[0],
            GeneratedHistory.Workflow(20).StartedAt, GeneratedHistory.Workflow(131).StartedAt);

        public Filter Subset(int mask)
        {
            var parts = new List<(string Query, Func<GeneratedWorkflow, bool> Matches, string Name)>();
            if ((mask & 1) != 0)
            {
                parts.Add((string.Concat(Statuses.Select(status => "&status=" + status)),
                    workflow => Statuses.Contains(workflow.Status, StringComparer.OrdinalIgnoreCase), "status"));
            }

            if ((mask & 2) != 0)
            {
                parts.Add(("&initiator=" + GeneratedHistory.Shouted(Initiator), workflow => workflow.Initiator == Initiator, "initiator"));
            }

            if ((mask & 4) != 0)
            {
                parts.Add(("&payee=" + GeneratedHistory.Shouted(Payee), workflow => workflow.Payee == Payee, "payee"));
            }

            if ((mask & 8) != 0)
            {
                parts.Add(($"&startedFrom={StartedFrom}", workflow => workflow.StartedAt >= StartedFrom, "startedFrom"));
            }

            if ((mask & 16) != 0)
            {
                parts.Add(($"&startedTo={StartedTo}", workflow => workflow.StartedAt <= StartedTo, "startedTo"));
            }

            return new Filter(
                string.Concat(parts.Select(part => part.Query)),
                workflow => parts.All(part => part.Matches(workflow)),
                string.Join("+", parts.Select(part => part.Name)));
        }
    }
}
