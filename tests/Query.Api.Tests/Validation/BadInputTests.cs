using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using NUnit.Framework;
using Query.Api.Tests.Support;
using Query.Api.Workflows;

namespace Query.Api.Tests.Validation;

public sealed class BadInputTests
{
    private static readonly string ValidHex = new('a', 64);

    [TestCase("limit=0", "limit")]
    [TestCase("limit=1001", "limit")]
    [TestCase("limit=5000", "limit")]
    [TestCase("limit=abc", "limit")]
    [TestCase("limit=1.5", "limit")]
    [TestCase("limit=-1", "limit")]
    [TestCase("limit=%2B5", "limit")]
    [TestCase("limit=", "limit")]
    [TestCase("limit=99999999999999999999999999", "limit")]
    [TestCase("limit=1&limit=2", "limit")]
    [TestCase("offset=-1", "offset")]
    [TestCase("offset=abc", "offset")]
    [TestCase("offset=1.5", "offset")]
    [TestCase("offset=1000000001", "offset")]
    [TestCase("offset=99999999999999999999999999", "offset")]
    [TestCase("limit=10&offset=x", "offset")]
    public async Task List_BadPagingParameter_Answers400ProblemNamingIt(string query, string parameter)
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync($"/workflows?{query}");

        AssertValidationProblem(response, parameter);
    }

    [Test]
    public async Task List_BothParametersBad_NamesBoth()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/workflows?limit=0&offset=-5");

        AssertValidationProblem(response, "limit");
        Assert.That(response.Json["errors"]!.AsObject().Select(error => error.Key), Is.EquivalentTo(new[] { "limit", "offset" }));
    }

    [Test]
    public async Task List_VeryLongQueryValue_Answers400Not500()
    {
        var api = await SeededApi.GetAsync();

        var digits = await api.GetAsync("/workflows?limit=" + new string('9', 6000));
        var letters = await api.GetAsync("/workflows?offset=" + new string('x', 6000));

        Assert.Multiple(() =>
        {
            AssertValidationProblem(digits, "limit");
            AssertValidationProblem(letters, "offset");
        });
    }

    private const string Address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    /// <summary>Bad values of every filter, for /workflows and /stats alike.</summary>
    public static IEnumerable<TestCaseData> BadFilters() =>
        new (string Query, string Parameter)[]
        {
            ("status=bogus", "status"),
            ("status=", "status"),
            ("status=running,completed", "status"),
            ("status=running&status=nope", "status"),
            ("status=" + new string('x', 5000), "status"),
            ("initiator=0x12", "initiator"),
            ("initiator=" + Address[2..], "initiator"),
            ("initiator=" + Address + "0", "initiator"),
            ("initiator=0x" + new string('g', 40), "initiator"),
            ("initiator=" + Address + "%0A", "initiator"),
            ("initiator=%20" + Address, "initiator"),
            ("initiator=" + Address + "&initiator=" + Address, "initiator"),
            ("initiator=", "initiator"),
            ("payee=0x12", "payee"),
            ("payee=" + Address + "%0A", "payee"),
            ("payee=" + Address + "&payee=" + Address, "payee"),
            ("payee=%F0%9F%92%B8", "payee"),
            ("startedFrom=-1", "startedFrom"),
            ("startedFrom=abc", "startedFrom"),
            ("startedFrom=1.5", "startedFrom"),
            ("startedFrom=1e5", "startedFrom"),
            ("startedFrom=253402300800", "startedFrom"),
            ("startedFrom=99999999999999999999999999", "startedFrom"),
            ("startedFrom=", "startedFrom"),
            ("startedTo=-5", "startedTo"),
            ("startedTo=%2B5", "startedTo"),
            ("startedTo=1,2", "startedTo"),
            ("startedFrom=1700000000&startedTo=1699999999", "startedTo"),
        }.Select(bad => new TestCaseData(bad.Query, bad.Parameter).SetArgDisplayNames(bad.Query.Length > 60 ? bad.Query[..60] + "…" : bad.Query));

    [TestCaseSource(nameof(BadFilters))]
    public async Task List_BadFilter_Answers400ProblemNamingIt(string query, string parameter)
    {
        var api = await SeededApi.GetAsync();

        AssertValidationProblem(await api.GetAsync($"/workflows?{query}"), parameter);
    }

    [TestCaseSource(nameof(BadFilters))]
    public async Task Stats_BadFilter_Answers400ProblemNamingIt(string query, string parameter)
    {
        var api = await SeededApi.GetAsync();

        AssertValidationProblem(await api.GetAsync($"/stats?{query}"), parameter);
    }

    public static IEnumerable<TestCaseData> BadCursors()
    {
        var valid = new ListCursor(105, 0, 0).Encode();
        return new (string Name, string Query)[]
        {
            ("empty", "cursor="),
            ("not base64url", "cursor=abc"),
            ("a character outside base64url", "cursor=" + valid[..22] + "%21"),
            ("standard base64 characters", "cursor=" + valid[..21] + "+/"),
            ("one character short", "cursor=" + valid[..22]),
            ("one character long", "cursor=" + valid + "A"),
            ("padded", "cursor=" + valid + "%3D"),
            ("unknown format byte", "cursor=" + Forged(format: 2, block: 105, transaction: 0, log: 0)),
            ("negative block", "cursor=" + Forged(format: 1, block: -1, transaction: 0, log: 0)),
            ("negative transaction index", "cursor=" + Forged(format: 1, block: 5, transaction: -3, log: 0)),
            ("negative log index", "cursor=" + Forged(format: 1, block: 5, transaction: 0, log: int.MinValue)),
            ("non-canonical last character", "cursor=" + valid[..22] + (char)(valid[22] + 1)),
            ("repeated", $"cursor={valid}&cursor={valid}"),
            ("with offset", $"cursor={valid}&offset=0"),
            ("with offset and a filter", $"offset=10&status=running&cursor={valid}"),
            ("very long", "cursor=" + new string('A', 6000)),
        }.Select(bad => new TestCaseData(bad.Query).SetArgDisplayNames(bad.Name));
    }

    [TestCaseSource(nameof(BadCursors))]
    public async Task List_BadCursor_Answers400ProblemNamingCursor(string query)
    {
        var api = await SeededApi.GetAsync();

        AssertValidationProblem(await api.GetAsync($"/workflows?{query}"), "cursor");
    }

    [Test]
    public async Task List_WellFormedCursorOfAnyPosition_IsAPositionNotAnError()
    {
        var api = await SeededApi.GetAsync();

        var beyondTheHead = await api.GetAsync("/workflows?cursor=" + new ListCursor(long.MaxValue, int.MaxValue, int.MaxValue).Encode());
        var beforeTheStart = await api.GetAsync("/workflows?cursor=" + new ListCursor(0, 0, 0).Encode());

        Assert.Multiple(() =>
        {
            Assert.That(beyondTheHead.Status, Is.EqualTo(HttpStatusCode.OK), beyondTheHead.ToString());
            Assert.That(beyondTheHead.Json.AsArray(), Has.Count.EqualTo(Seed.NewestFirst.Length));
            Assert.That(beforeTheStart.Body, Is.EqualTo("[]"));
        });
    }

    [TestCase("bucket=week", "bucket")]
    [TestCase("bucket=", "bucket")]
    [TestCase("bucket=hour&bucket=day", "bucket")]
    [TestCase("bucket=hours", "bucket")]
    [TestCase("from=abc", "from")]
    [TestCase("from=-1", "from")]
    [TestCase("from=1.5", "from")]
    [TestCase("from=", "from")]
    [TestCase("from=253402300800", "from")]
    [TestCase("to=abc", "to")]
    [TestCase("to=1e9", "to")]
    [TestCase("to=1&to=2", "to")]
    [TestCase("from=1700000000&to=1699999999", "to")]
    [TestCase("bucket=hour&from=0&to=3600000", "from")]
    [TestCase("bucket=hour&from=0&to=3600000", "to")]
    [TestCase("bucket=day&from=1700000000&to=1786400000", "from")]
    [TestCase("bucket=day&from=0&to=253402300799", "to")]
    public async Task Timeline_BadParameter_Answers400ProblemNamingIt(string query, string parameter)
    {
        var api = await SeededApi.GetAsync();

        AssertValidationProblem(await api.GetAsync($"/stats/timeline?{query}"), parameter);
    }

    [TestCase("0x12")]
    [TestCase("0xgggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg")]
    [TestCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("0x%20aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("abc")]
    public async Task Detail_MalformedId_Answers400ProblemNamingId(string id)
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync($"/workflows/{id}");

        AssertValidationProblem(response, "id");
    }

    // Regex '$' (without RegexOptions.Multiline) also matches before a final '\n', so "0x<64 hex>\n" passes
    // WorkflowIdRequestValidator ("^0x[0-9a-fA-F]{64}$") and the request goes on to the database (404).
    // "\z" instead of "$" would anchor at the true end.
    [TestCase("%0A", TestName = "Detail_WellFormedIdWithTrailingNewline_Answers400ProblemNamingId")]
    [TestCase("%20", TestName = "Detail_WellFormedIdWithTrailingSpace_Answers400ProblemNamingId")]
    public async Task Detail_WellFormedIdWithTrailingCharacter_Answers400ProblemNamingId(string suffix)
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync($"/workflows/0x{ValidHex}{suffix}");

        AssertValidationProblem(response, "id");
    }

    [Test]
    public async Task Detail_VeryLongId_Answers400Not500()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/workflows/0x" + new string('a', 6000));

        AssertValidationProblem(response, "id");
    }

    private static string Forged(byte format, long block, int transaction, int log)
    {
        var bytes = new byte[17];
        bytes[0] = format;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), block);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(9), transaction);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(13), log);
        return Base64Url.EncodeToString(bytes);
    }

    private static void AssertValidationProblem(ApiResponse response, string parameter)
    {
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest), response.ToString());
        Assert.That(response.MediaType, Is.EqualTo("application/problem+json"), response.ToString());
        var problem = response.Json;
        Assert.That((int?)problem["status"], Is.EqualTo(400), response.ToString());
        Assert.That(problem["errors"]?[parameter]?.AsArray(), Is.Not.Empty, response.ToString());
        Assert.That((string?)problem["errors"]![parameter]![0], Does.Contain(parameter), response.ToString());
    }
}
