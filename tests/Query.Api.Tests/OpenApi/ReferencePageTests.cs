using System.Net;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.OpenApi;

/// <summary>The interactive reference at /docs loads nothing from anywhere but the API itself (no CDN).</summary>
public sealed partial class ReferencePageTests
{
    [Test]
    public async Task TheReferencePageLoadsItsScriptsAndTheDocumentFromTheApiOnly()
    {
        var api = await SeededApi.GetAsync();
        using var page = await api.Http.GetAsync("docs");
        var html = await page.Content.ReadAsStringAsync();
        var pageUri = page.RequestMessage!.RequestUri!;

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://").And.Not.Contain("//cdn"), "no absolute URL on the page, configuration included");

        var loaded = References(html).ToList();
        var modules = ModuleScripts().Matches(html).Select(match => match.Groups[1].Value).ToHashSet();
        Assert.That(loaded, Has.Some.EndsWith("scalar.js"), "the page loads Scalar's bundle");
        foreach (var reference in loaded)
        {
            Assert.That(IsRelative(reference), Is.True, $"{reference} is not on the API's origin");
            var uri = new Uri(pageUri, reference);
            using var asset = await api.Http.GetAsync(uri);
            var body = await asset.Content.ReadAsStringAsync();
            Assert.That(asset.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{uri} is served by the API");
            if (reference.EndsWith(".js", StringComparison.Ordinal))
            {
                Assert.That(asset.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"), uri.ToString());
                Assert.That(body, Is.Not.Empty, uri.ToString());
            }

            // A module may import others; Scalar's bundle is a classic script, self-contained (its text holds
            // import lines of the code samples it shows, which are no imports of its own).
            if (modules.Contains(reference))
            {
                Assert.That(ModuleImports(body).Where(import => !IsRelative(import)), Is.Empty, $"{uri} imports modules from elsewhere");
            }
        }

        var source = DocumentSource().Match(html);
        Assert.That(source.Success, Is.True, "the page names the OpenAPI document it shows");
        using var document = await api.Http.GetAsync(new Uri(new Uri(pageUri, "/"), source.Groups[1].Value));
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the document the page shows is the API's");
    }

    /// <summary>What the page makes the browser fetch: src and href attributes, and the imports of its inline modules.</summary>
    private static IEnumerable<string> References(string html) =>
        SourceOrLink().Matches(html).Select(match => match.Groups[1].Value).Concat(ModuleImports(html)).Distinct();

    private static IEnumerable<string> ModuleImports(string script) => StaticOrDynamicImport().Matches(script).Select(match => match.Groups[1].Value);

    private static bool IsRelative(string reference) =>
        !reference.StartsWith("//", StringComparison.Ordinal) && !Uri.TryCreate(reference, UriKind.Absolute, out _);

    [GeneratedRegex("""\b(?:src|href)\s*=\s*["']([^"']+)["']""")]
    private static partial Regex SourceOrLink();

    [GeneratedRegex("""<script\b[^>]*\btype\s*=\s*["']module["'][^>]*\bsrc\s*=\s*["']([^"']+)["']""")]
    private static partial Regex ModuleScripts();

    [GeneratedRegex("""(?:\bimport\b[^'"`;()]*?\bfrom\s*|\bimport\s*\(\s*)["']([^"']+)["']""")]
    private static partial Regex StaticOrDynamicImport();

    [GeneratedRegex(""""sources":\[\{[^\]]*?"url":"([^"]+)"""")]
    private static partial Regex DocumentSource();
}
