using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Query.Api.Tests.OpenApi;

/// <summary>
/// Validates JSON against a schema of the API's OpenAPI 3.1 document with JsonSchema.Net. OpenAPI 3.1
/// schemas are JSON Schema 2020-12 whose $refs point into the document's #/components/schemas: the schema
/// under test is wrapped in a schema document that holds every component under $defs, with each $ref
/// rewritten to match. Stricter than the document in one way: an object whose every property is
/// required (the API's own answers, which always write every property) may hold no other property, so
/// an answer that writes anything undocumented fails.
/// </summary>
internal sealed class OpenApiSchemaValidator
{
    private const string ComponentPrefix = "#/components/schemas/";
    private const string DefsPrefix = "#/$defs/";

    private readonly JsonObject _defs;

    public OpenApiSchemaValidator(JsonObject document)
    {
        _defs = new JsonObject();
        foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
        {
            _defs[name] = Rewrite(schema);
        }
    }

    /// <returns>Every error, one line each ("instance location: message"); empty when <paramref name="instance"/> is valid.</returns>
    public IReadOnlyList<string> Validate(JsonNode schema, JsonElement instance)
    {
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _defs.DeepClone(),
            ["allOf"] = new JsonArray(Rewrite(schema)),
        };
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var compiled = JsonSchema.FromText(wrapper.ToJsonString(), options, new Uri($"urn:x402:openapi:{Guid.NewGuid():N}"));
        var results = compiled.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        return results.IsValid ? [] : [.. Errors(results).Distinct()];
    }

    /// <summary>The errors of the failing branches only: a oneOf that holds has failing alternatives, which are no error.</summary>
    private static IEnumerable<string> Errors(EvaluationResults results)
    {
        if (results.IsValid)
        {
            yield break;
        }

        foreach (var (keyword, message) in results.Errors ?? new Dictionary<string, string>())
        {
            yield return $"{results.InstanceLocation} ({keyword} at {results.EvaluationPath}): {message}";
        }

        foreach (var detail in results.Details ?? [])
        {
            foreach (var error in Errors(detail))
            {
                yield return error;
            }
        }
    }

    private static JsonNode? Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject source:
                var target = new JsonObject();
                foreach (var (key, value) in source)
                {
                    target[key] = key == "$ref" && value?.GetValue<string>() is { } reference && reference.StartsWith(ComponentPrefix, StringComparison.Ordinal)
                        ? DefsPrefix + reference[ComponentPrefix.Length..]
                        : Rewrite(value);
                }

                if (IsClosedAnswer(target))
                {
                    target["additionalProperties"] = false;
                }

                return target;
            case JsonArray array:
                return new JsonArray([.. array.Select(Rewrite)]);
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsClosedAnswer(JsonObject schema) =>
        schema["properties"] is JsonObject { Count: > 0 } properties
        && schema["additionalProperties"] is null
        && schema["required"] is JsonArray required
        && properties.All(property => required.Any(name => name?.GetValue<string>() == property.Key));
}
