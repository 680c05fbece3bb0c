using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Compression;

/// <summary>Brotli and gzip for clients that ask for them, the same JSON once decoded, and nothing changed for clients that do not.</summary>
public sealed class CompressionTests
{
    // Not /status: its heartbeat age moves between two requests.
    private static readonly string[] Paths = ["/workflows?limit=1000", $"/workflows/{Seed.Completed}", "/stats", "/health"];

    [Test]
    public async Task Get_AcceptingBrotliOrGzip_DecodesToTheSameJson(
        [Values("br", "gzip")] string encoding, [ValueSource(nameof(Paths))] string path)
    {
        var api = await SeededApi.GetAsync();
        var plain = await HttpExchange.GetAsync(api.Http, path);

        var compressed = await HttpExchange.GetAsync(api.Http, path, ("Accept-Encoding", encoding));

        Assert.Multiple(() =>
        {
            Assert.That(compressed.Status, Is.EqualTo(HttpStatusCode.OK), compressed.ToString());
            Assert.That(compressed.Header("Content-Encoding"), Is.EqualTo(encoding), compressed.ToString());
            Assert.That(compressed.Values("Vary"), Does.Contain("Accept-Encoding"), compressed.ToString());
            Assert.That(compressed.Header("Content-Type"), Is.EqualTo(plain.Header("Content-Type")));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(Decode(encoding, compressed.Body)), JsonNode.Parse(plain.Body)), Is.True);
        });
    }

    [Test]
    public async Task Get_AcceptingBoth_PrefersBrotli()
    {
        var api = await SeededApi.GetAsync();

        var answer = await HttpExchange.GetAsync(api.Http, "/workflows", ("Accept-Encoding", "gzip, deflate, br"));

        Assert.That(answer.Header("Content-Encoding"), Is.EqualTo("br"), answer.ToString());
    }

    [TestCase("gzip;q=1, br;q=0.5", "gzip")]
    [TestCase("br;q=0, gzip", "gzip")]
    [TestCase("deflate", null)]
    [TestCase("identity", null)]
    public async Task Get_AcceptEncodingWithPreferences_IsHonoured(string acceptEncoding, string? expected)
    {
        var api = await SeededApi.GetAsync();

        var answer = await HttpExchange.GetAsync(api.Http, "/workflows", ("Accept-Encoding", acceptEncoding));

        Assert.That(answer.Header("Content-Encoding"), Is.EqualTo(expected), answer.ToString());
    }

    [Test]
    public async Task Get_WithoutAcceptEncoding_IsSentAsStored()
    {
        var api = await SeededApi.GetAsync();

        var answer = await HttpExchange.GetAsync(api.Http, "/workflows");

        Assert.Multiple(() =>
        {
            Assert.That(answer.Header("Content-Encoding"), Is.Null, answer.ToString());
            Assert.That(answer.Header("Content-Length"), Is.EqualTo(answer.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(JsonNode.Parse(answer.Body)!.AsArray(), Has.Count.EqualTo(Seed.NewestFirst.Length));
        });
    }

    [Test]
    public async Task Compressed_Answer_CarriesItsTagWeakened_AndRevalidatesWithIt()
    {
        var api = await SeededApi.GetAsync();
        var path = $"/workflows/{Seed.Failed}";
        var strong = (await HttpExchange.GetAsync(api.Http, path)).Header("ETag")!;

        var compressed = await HttpExchange.GetAsync(api.Http, path, ("Accept-Encoding", "gzip"));
        var revalidated = await HttpExchange.GetAsync(api.Http, path, ("Accept-Encoding", "gzip"), ("If-None-Match", compressed.Header("ETag")!));

        Assert.Multiple(() =>
        {
            Assert.That(compressed.Header("ETag"), Is.EqualTo("W/" + strong), "other bytes, the same content (RFC 9110 §8.8.1)");
            Assert.That(revalidated.Status, Is.EqualTo(HttpStatusCode.NotModified), revalidated.ToString());
            Assert.That(revalidated.Header("ETag"), Is.EqualTo("W/" + strong));
        });
    }

    [Test]
    public async Task Problem_AcceptingGzip_IsCompressedToo()
    {
        var api = await SeededApi.GetAsync();

        var answer = await HttpExchange.GetAsync(api.Http, "/workflows?limit=0", ("Accept-Encoding", "gzip"));

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(answer.Header("Content-Encoding"), Is.EqualTo("gzip"));
            Assert.That((int?)JsonNode.Parse(Decode("gzip", answer.Body))!["status"], Is.EqualTo(400));
        });
    }

    private static byte[] Decode(string encoding, byte[] body)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
