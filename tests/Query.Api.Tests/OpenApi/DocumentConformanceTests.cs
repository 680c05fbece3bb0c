using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.OpenApi;

/// <summary>The document served at /openapi/v1.json against the real answers of the seeded API.</summary>
public sealed class DocumentConformanceTests
{
    [Test]
    public async Task EveryOperationOfTheDocumentHasASampleRequest()
    {
        var document = await ApiDocument.FetchAsync(await SeededApi.GetAsync());
        var sampled = SampleRequests.All.Select(sample => sample.Operation).ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(document.Operations, Is.Not.Empty);
            Assert.That(
                document.Operations.Where(operation => !sampled.Contains(operation)),
                Is.Empty,
                "operations of the document without a line in SampleRequests.All");
            Assert.That(
                sampled.Where(operation => !document.Operations.Contains(operation)),
                Is.Empty,
                "SampleRequests.All names operations the document does not have");
        });
    }

    [Test]
    public async Task EveryDocumentedStatusHasASampleRequestThatGetsIt()
    {
        var document = await ApiDocument.FetchAsync(await SeededApi.GetAsync());

        var unsampled =
            from operation in document.Operations
            from status in document.DocumentedStatuses(operation)
            where !SampleRequests.NotSampledHere.ContainsKey(status)
            where !SampleRequests.All.Any(sample => sample.Operation == operation && sample.Status == status)
            select $"{operation} → {status}";
        Assert.That(unsampled, Is.Empty, "documented answers no line of SampleRequests.All gets");
    }

    [Test]
    public async Task EverySampleRequestIsAnsweredAsTheDocumentSays()
    {
        var api = await SeededApi.GetAsync();
        var document = await ApiDocument.FetchAsync(api);

        var problems = new List<string>();
        foreach (var sample in SampleRequests.All)
        {
            problems.AddRange(await ResponseConformance.CheckAsync(api, document, sample));
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task TheValidatorRejectsAnswersThatDepartFromTheDocument()
    {
        var api = await SeededApi.GetAsync();
        var document = await ApiDocument.FetchAsync(api);
        var schema = document.Response("GET /workflows/{id}", 200)!["content"]!["application/json"]!["schema"]!;
        var answer = (await api.GetAsync($"/workflows/{Seed.Completed}")).Json.AsObject();

        var departures = new Dictionary<string, Action<JsonObject>>
        {
            ["an undocumented property"] = detail => detail["workflow"]!["extra"] = 1,
            ["a missing property"] = detail => detail["workflow"]!.AsObject().Remove("phase"),
            ["a status outside the enum"] = detail => detail["workflow"]!["status"] = "paused",
            ["a number as text"] = detail => detail["events"]![0]!["blockNumber"] = "100",
            ["an amount as a number"] = detail => detail["settlements"]![0]!["amount"] = 5,
            ["a payload of no event type"] = detail => detail["events"]![0]!["payload"] = new JsonObject { ["initiator"] = Seed.Alice, ["reason"] = "x" },
            ["an upper case hash"] = detail => detail["events"]![0]!["txHash"] = Seed.TxHashOf(100, 0).ToUpperInvariant(),
        };

        Assert.Multiple(() =>
        {
            Assert.That(Validate(document, schema, answer), Is.Empty, "the real answer conforms");
            foreach (var (departure, change) in departures)
            {
                var changed = answer.DeepClone().AsObject();
                change(changed);
                Assert.That(Validate(document, schema, changed), Is.Not.Empty, departure);
            }
        });
    }

    [Test]
    public async Task EveryExampleOfTheDocumentMatchesItsSchema()
    {
        var document = await ApiDocument.FetchAsync(await SeededApi.GetAsync());
        var problems = new List<string>();
        var examples = 0;
        foreach (var (name, schema) in document.Root["components"]!["schemas"]!.AsObject())
        {
            foreach (var example in schema!["examples"]?.AsArray() ?? [])
            {
                examples++;
                problems.AddRange(Validate(document, new JsonObject { ["$ref"] = $"#/components/schemas/{name}" }, example!).Select(error => $"{name}: {error}"));
            }
        }

        foreach (var operation in document.Operations)
        {
            foreach (var parameter in document.Operation(operation)["parameters"]?.AsArray() ?? [])
            {
                examples++;
                problems.AddRange(Validate(document, parameter!["schema"]!, parameter["example"]!).Select(error => $"{operation} {parameter["name"]}: {error}"));
            }
        }

        Assert.That(examples, Is.GreaterThan(0));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task EveryOperationParameterAndResponseIsDescribed()
    {
        var document = await ApiDocument.FetchAsync(await SeededApi.GetAsync());
        var missing = new List<string>();
        foreach (var key in document.Operations)
        {
            var operation = document.Operation(key);
            foreach (var field in new[] { "operationId", "summary", "description" })
            {
                if (operation[field] is null)
                {
                    missing.Add($"{key}: {field}");
                }
            }

            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                foreach (var field in new[] { "description", "example" })
                {
                    if (parameter![field] is null)
                    {
                        missing.Add($"{key} parameter {parameter["name"]}: {field}");
                    }
                }

                if (parameter!["schema"]?["type"] is null)
                {
                    missing.Add($"{key} parameter {parameter["name"]}: schema type");
                }
            }

            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                foreach (var (mediaType, media) in response!["content"]?.AsObject() ?? [])
                {
                    if (ResponseConformance.IsJson(mediaType) && media!["schema"] is null)
                    {
                        missing.Add($"{key} {status} {mediaType}: schema");
                    }
                }
            }
        }

        Assert.That(missing, Is.Empty);
    }

    private static IReadOnlyList<string> Validate(ApiDocument document, JsonNode schema, JsonNode instance)
    {
        using var json = JsonDocument.Parse(instance.ToJsonString());
        return document.Validator.Validate(schema, json.RootElement);
    }
}
