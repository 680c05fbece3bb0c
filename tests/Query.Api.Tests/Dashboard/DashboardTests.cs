using System.Net;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Dashboard;

/// <summary>The dashboard's files and its settings endpoint, over HTTP; the page itself is tested in a browser (Query.Api.BrowserTests).</summary>
public sealed partial class DashboardTests
{
    [Test]
    public async Task Root_ServesTheDashboardPage_WhateverTheWorkingDirectory()
    {
        var api = await SeededApi.GetAsync();

        using var response = await api.Http.GetAsync("");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True, "a new version is seen at once");
            Assert.That(body, Does.Contain("""<script type="module" src="js/main.js"></script>"""));
        });
    }

    [Test]
    public async Task ThePage_LoadsNothingFromAnotherSite()
    {
        var api = await SeededApi.GetAsync();

        var page = await api.Http.GetStringAsync("");
        var references = ReferenceAttribute().Matches(page).Select(match => match.Groups["url"].Value).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(references, Is.Not.Empty);
            Assert.That(references, Has.All.Not.Contain("//"), "every script, style and icon is the API's own");
            Assert.That(page, Does.Contain("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'"));
        });
    }

    [TestCase("js/main.js", "text/javascript")]
    [TestCase("js/views/workflow-list.js", "text/javascript")]
    [TestCase("css/dashboard.css", "text/css")]
    [TestCase("favicon.svg", "image/svg+xml")]
    public async Task Assets_AreServedWithTheirMediaType(string path, string mediaType)
    {
        var api = await SeededApi.GetAsync();

        using var response = await api.Http.GetAsync(path);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType), path);
        });
    }

    [Test]
    public async Task Settings_WithoutExplorerUrl_AnswerNull()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/dashboard/settings");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
            Assert.That(response.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Body, Is.EqualTo("""{"explorerUrl":null}"""));
        });
    }

    [Test]
    public async Task Settings_WithExplorerUrl_AnswerItWithoutATrailingSlash()
    {
        await using var api = await ApiProcess.StartAsync(
            await SeededApi.ApiRoleUrlAsync(), new Dictionary<string, string> { ["EXPLORER_URL"] = "https://explorer.cronos.org/testnet/" });

        var response = await api.GetAsync("/dashboard/settings");

        Assert.That(response.Body, Is.EqualTo("""{"explorerUrl":"https://explorer.cronos.org/testnet"}"""), response.ToString());
    }

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]*)""")]
    private static partial Regex ReferenceAttribute();
}
