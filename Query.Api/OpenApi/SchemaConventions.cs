using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Query.Api.Workflows;

namespace Query.Api.OpenApi;

/// <summary>
/// What the generated schemas of the API's own answers cannot say by themselves:
/// <list type="bullet">
/// <item>every property is required: answers always write every property, null included;</item>
/// <item>a string holding a fixed set of names lists them (<see cref="WireNamesAttribute"/>, <see cref="AllowedValuesAttribute"/>);</item>
/// <item>an event's payload has one shape per event type;</item>
/// <item>each answer has an example (<see cref="ApiExamples"/>).</item>
/// </list>
/// </summary>
internal sealed class SchemaConventions : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(EventPayloadView))
        {
            schema.Type = null;
            schema.Properties = null;
            schema.OneOf = EventPayloadShapes.All();
        }
        else if (IsOwnAnswer(type) && schema.Properties is { Count: > 0 } properties)
        {
            schema.Required = new HashSet<string>(properties.Keys);
        }

        if (context.JsonPropertyInfo?.AttributeProvider is { } property && NamesOf(property) is { } names)
        {
            var nullable = schema.Type is { } types && types.HasFlag(JsonSchemaType.Null);
            schema.Enum = [.. names.Select(name => (JsonNode)JsonValue.Create(name)), .. nullable ? [JsonNullSentinel.JsonNull] : Array.Empty<JsonNode>()];
        }

        if (context.JsonPropertyInfo is null && ApiExamples.For(type) is { } example)
        {
            schema.Examples = [example];
        }

        return Task.CompletedTask;
    }

    private static bool IsOwnAnswer(Type type) => type.Namespace?.StartsWith("Query.Api", StringComparison.Ordinal) == true;

    private static IEnumerable<string>? NamesOf(System.Reflection.ICustomAttributeProvider property)
    {
        if (property.GetCustomAttributes(typeof(WireNamesAttribute), inherit: true).FirstOrDefault() is WireNamesAttribute wire)
        {
            return wire.Names;
        }

        return property.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: true).FirstOrDefault() is AllowedValuesAttribute allowed
            ? allowed.Values.OfType<string>()
            : null;
    }
}
