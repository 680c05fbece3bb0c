using System.Net;
using System.Text.RegularExpressions;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Workflows;

/// <summary>
/// Following <c>Link: &lt;…&gt;; rel="next"</c> from a first page walks the whole (filtered) list newest
/// first, each workflow once, also while new workflows are committed between the requests.
/// </summary>
public sealed partial class KeysetPagingTests
{
    private static readonly string Initiator = GeneratedHistory.Initiators[1];

    /// <summary>Filters (as a query string) and which generated workflows they match.</summary>
    private static readonly Dictionary<string, Func<GeneratedWorkflow, bool>> Filters = new()
    {
        [string.Empty] = _ => true,
        ["&status=running"] = workflow => workflow.Status == "running",
        ["&status=failed&status=rejected"] = workflow => workflow.Status is "failed" or "rejected",
        ["&initiator=" + GeneratedHistory.Shouted(Initiator)] = workflow => workflow.Initiator == Initiator,
        ["&payee=" + GeneratedHistory.Payees[1]] = workflow => workflow.Payee == GeneratedHistory.Payees[1],
        [$"&startedFrom={GeneratedHistory.Workflow(25).StartedAt}&startedTo={GeneratedHistory.Workflow(90).StartedAt}"] =
            workflow => workflow.Index is >= 24 and <= 91,
        [$"&status=completed&initiator={Initiator}&startedTo={GeneratedHistory.Workflow(120).StartedAt}"] =
            workflow => workflow.Status == "completed" && workflow.Initiator == Initiator && workflow.Index <= 121,
    };

    public static IEnumerable<TestCaseData> Walks() =>
        from filter in Filters.Keys
        from limit in new[] { 1, 3, 10 }
        select new TestCaseData(filter, limit).SetArgDisplayNames(filter.Length == 0 ? "no filter" : filter, $"limit={limit}");

    [TestCaseSource(nameof(Walks))]
    public async Task NextLinks_FromTheFirstPage_WalkTheFilteredListOnceNewestFirst(string filter, int limit)
    {
        var api = await GeneratedApi.GetAsync();
        var expected = GeneratedApi.NewestFirst.Where(Filters[filter]).Select(workflow => workflow.Id).ToList();

        var pages = await WalkAsync(api, $"/workflows?limit={limit}{filter}", betweenPages: () => Task.CompletedTask);

        Assert.Multiple(() =>
        {
            Assert.That(pages.SelectMany(page => page.Ids), Is.EqualTo(expected));
            Assert.That(pages.Count, Is.EqualTo(Math.Max(1, (expected.Count + limit - 1) / limit)), "no empty page at the end, even when the last page is full");
            Assert.That(pages.SkipLast(1).Select(page => page.Ids.Count), Is.All.EqualTo(limit));
            foreach (var page in pages.Skip(1))
            {
                Assert.That(page.Url, Does.StartWith($"/workflows?limit={limit}"), "the limit is kept");
                Assert.That(page.Url, Does.Contain(filter.Replace(GeneratedHistory.Shouted(Initiator), Initiator, StringComparison.Ordinal)), "every filter is kept, normalized");
            }
        });
    }

    [Test]
    public async Task NextLink_OfAnOffsetPage_ContinuesAfterItsLastWorkflow()
    {
        var api = await GeneratedApi.GetAsync();

        var pages = await WalkAsync(api, "/workflows?limit=50&offset=7", betweenPages: () => Task.CompletedTask);

        Assert.That(pages.SelectMany(page => page.Ids), Is.EqualTo(GeneratedApi.NewestFirst.Skip(7).Select(workflow => workflow.Id)));
        Assert.That(pages[1].Url, Does.Not.Contain("offset"));
    }

    [Test]
    public async Task LastPage_HasNoNextLink()
    {
        var api = await GeneratedApi.GetAsync();

        var exact = await api.GetAsync($"/workflows?limit={GeneratedApi.WorkflowCount}");
        var larger = await api.GetAsync("/workflows?limit=1000&status=rejected");
        var empty = await api.GetAsync($"/workflows?offset={GeneratedApi.WorkflowCount}");

        Assert.Multiple(() =>
        {
            Assert.That(exact.Header("Link"), Is.Null, exact.ToString());
            Assert.That(larger.Header("Link"), Is.Null);
            Assert.That(empty.Body, Is.EqualTo("[]"));
            Assert.That(empty.Header("Link"), Is.Null);
        });
    }

    [TestCase("")]
    [TestCase("&initiator={0}")]
    public async Task NextLinks_WhileWorkflowsAreCommittedBetweenPages_StillWalkTheListAsItWasOnce(string filterFormat)
    {
        const int initial = 40, addedPerPage = 2;
        var filter = string.Format(System.Globalization.CultureInfo.InvariantCulture, filterFormat, Initiator);
        Func<GeneratedWorkflow, bool> matches = filter.Length == 0 ? _ => true : workflow => workflow.Initiator == Initiator;
        var (adminUrl, apiRoleUrl) = await SeededApi.CreateDatabaseAsync(
            await SharedPostgres.GetAsync(), url => GeneratedHistory.WriteAsync(url, initial));
        await using var database = NpgsqlDataSource.Create(DatabaseUrl.Parse(adminUrl));
        await using var api = await ApiProcess.StartAsync(apiRoleUrl, new Dictionary<string, string> { ["CACHE_MAX_STALENESS_MS"] = "0" });
        await using var writer = await database.OpenConnectionAsync();
        var checkpoint = GeneratedHistory.Workflows(0, initial).SelectMany(workflow => workflow.Events).Max(e => e.Event.Position.BlockNumber);
        var next = initial;

        var pages = await WalkAsync(api, $"/workflows?limit=3{filter}", betweenPages: async () =>
        {
            checkpoint = await GeneratedHistory.CommitAsync(writer, checkpoint + 1, GeneratedHistory.Workflows(next, addedPerPage));
            next += addedPerPage;
        });
        var firstPageNow = await api.GetAsync($"/workflows?limit=1000{filter}");

        Assert.Multiple(() =>
        {
            Assert.That(
                pages.SelectMany(page => page.Ids),
                Is.EqualTo(GeneratedHistory.Workflows(0, initial).Where(matches).Reverse().Select(workflow => workflow.Id)));
            Assert.That(next, Is.GreaterThan(initial + addedPerPage), "workflows were committed during the walk");
            Assert.That(
                WorkflowFilterTests.Ids(firstPageNow.Json),
                Is.EqualTo(GeneratedHistory.Workflows(0, next).Where(matches).Reverse().Select(workflow => workflow.Id)),
                "the new workflows are at the head of the list");
        });
    }

    /// <summary>Requests <paramref name="firstUrl"/> and every next link, running <paramref name="betweenPages"/> before each next request.</summary>
    private static async Task<List<Page>> WalkAsync(ApiProcess api, string firstUrl, Func<Task> betweenPages)
    {
        var pages = new List<Page>();
        for (var url = firstUrl; url is not null;)
        {
            var response = await api.GetAsync(url);
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), $"{url}: {response}");
            pages.Add(new Page(url, WorkflowFilterTests.Ids(response.Json).ToList()));
            Assert.That(pages.Count, Is.LessThanOrEqualTo(GeneratedApi.WorkflowCount + 1), "the walk ends");
            url = NextUrl(response.Header("Link"));
            if (url is not null)
            {
                await betweenPages();
            }
        }

        return pages;
    }

    private static string? NextUrl(string? link)
    {
        if (link is null)
        {
            return null;
        }

        var match = NextLink().Match(link);
        Assert.That(match.Success, Is.True, $"Link: {link}");
        return match.Groups["url"].Value;
    }

    // A relative URL whose last parameter is the cursor (23 base64url characters).
    [GeneratedRegex("""^<(?<url>/workflows\?[^<>\s]*&cursor=[A-Za-z0-9_-]{23})>; rel="next"$""")]
    private static partial Regex NextLink();

    private sealed record Page(string Url, List<string> Ids);
}
