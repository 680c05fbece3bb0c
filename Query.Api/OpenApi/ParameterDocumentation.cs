using System.Globalization;
using System.Text.Json.Nodes;
using Core.Domain.Workflows;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Query.Api.Workflows;

namespace Query.Api.OpenApi;

/// <summary>
/// Describes each request parameter by its name: the endpoints bind query parameters as text (so that
/// FluentValidation can answer "limit=abc" with a 400 naming it), which alone would document every one as a
/// bare string.
/// Here each gets its real type, limits, description and an example. Names are the API's contract: a
/// parameter means the same on every endpoint that takes it.
/// </summary>
internal sealed class ParameterDocumentation : IOpenApiOperationTransformer
{
    private const string AnyCaseBytes32 = "^0x[0-9a-fA-F]{64}$";
    private const string AnyCaseAddress = "^0x[0-9a-fA-F]{40}$";

    // Issue 7's contract names every filter and paging parameter; those of other endpoints (the filters,
    // the keyset cursor, the timeline, the stream) are described here too, so that they are documented the
    // same way wherever they are bound.
    private static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["limit"] = new(
            $"Most workflows to return, 1 to {WorkflowListRequest.MaxLimit}.",
            () => Integer(1, WorkflowListRequest.MaxLimit, WorkflowListRequest.DefaultLimit),
            JsonValue.Create(10)),
        ["offset"] = new("Workflows to skip from the newest.", () => Integer(0, WorkflowListRequest.MaxOffset, 0), JsonValue.Create(0)),
        ["cursor"] = new(
            "Where the next page starts: opaque, taken from the Link header (rel=\"next\") of the previous page; not with offset.",
            () => new OpenApiSchema { Type = JsonSchemaType.String },
            JsonValue.Create("eyJiIjoxMDUsInQiOjAsImwiOjB9")),
        ["status"] = new(
            "Only workflows with this status; repeat the parameter for several (status=failed&status=rejected).",
            () => new OpenApiSchema { Type = JsonSchemaType.Array, Items = Names(typeof(WorkflowStatus)) },
            new JsonArray("failed", "rejected")),
        ["initiator"] = new("Only workflows started by this address (0x and 40 hex digits, any case).", () => Text(AnyCaseAddress), JsonValue.Create(ApiExamples.Initiator)),
        ["payee"] = new("Only workflows with a settlement paid to this address (0x and 40 hex digits, any case).", () => Text(AnyCaseAddress), JsonValue.Create(ApiExamples.Payee)),
        ["startedFrom"] = new("Only workflows started at or after this block timestamp (unix seconds).", UnixSeconds, JsonValue.Create(ApiExamples.StartedAt)),
        ["startedTo"] = new("Only workflows started at or before this block timestamp (unix seconds).", UnixSeconds, JsonValue.Create(ApiExamples.StartedAt + 86_400)),
        ["bucket"] = new(
            "Width of each bucket, in UTC.",
            () => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("hour"), JsonValue.Create("day")] },
            JsonValue.Create("hour")),
        ["from"] = new("Start of the period, a unix timestamp in seconds (inclusive).", UnixSeconds, JsonValue.Create(ApiExamples.StartedAt)),
        ["to"] = new("End of the period, a unix timestamp in seconds (inclusive).", UnixSeconds, JsonValue.Create(ApiExamples.StartedAt + 86_400)),
        ["id"] = new("The workflow's id: 0x and 64 hex digits (a bytes32), any letter case.", () => Text(AnyCaseBytes32), JsonValue.Create(ApiExamples.WorkflowId)),
        ["workflowId"] = new(
            "Only events of this workflow: 0x and 64 hex digits (a bytes32), any letter case.",
            () => Text(AnyCaseBytes32),
            JsonValue.Create(ApiExamples.WorkflowId)),
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name is { } name && Parameters.TryGetValue(name, out var doc))
            {
                parameter.Description = doc.Description;
                parameter.Schema = doc.Schema();
                parameter.Example = doc.Example.DeepClone();
            }
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Integer(long minimum, long maximum, long defaultValue) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int64",
        Minimum = minimum.ToString(CultureInfo.InvariantCulture),
        Maximum = maximum.ToString(CultureInfo.InvariantCulture),
        Default = JsonValue.Create(defaultValue),
    };

    private static OpenApiSchema Text(string pattern) => new() { Type = JsonSchemaType.String, Pattern = pattern };

    private static OpenApiSchema UnixSeconds() => new() { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" };

    private static OpenApiSchema Names(Type domainEnum) =>
        new() { Type = JsonSchemaType.String, Enum = [.. new WireNamesAttribute(domainEnum).Names.Select(name => (JsonNode)JsonValue.Create(name))] };

    private sealed record ParameterDoc(string Description, Func<OpenApiSchema> Schema, JsonNode Example);
}
