using System.Net;
using NUnit.Framework;
using Query.Api.Tests.Support;

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
