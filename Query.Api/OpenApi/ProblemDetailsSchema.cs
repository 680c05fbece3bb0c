using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Query.Api.OpenApi;

/// <summary>
/// The error bodies as this API writes them (AddProblemDetails): status and title always set, a traceId
/// for the logs, and for a 400 the errors by parameter name.
/// </summary>
internal sealed class ProblemDetailsSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is not null || !(type == typeof(ProblemDetails) || type == typeof(HttpValidationProblemDetails)))
        {
            return Task.CompletedTask;
        }

        schema.Description = type == typeof(HttpValidationProblemDetails)
            ? "RFC 9457 problem details of a 400: errors names each bad parameter with its messages."
            : "RFC 9457 problem details.";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, as in the API's logs." };
        Describe(schema, "type", "A URI reference identifying the problem type.");
        Describe(schema, "title", "A short summary of the problem type.", JsonSchemaType.String);
        Describe(schema, "status", "The HTTP status code.", JsonSchemaType.Integer);
        Describe(schema, "detail", "What happened in this occurrence.");
        Describe(schema, "instance", "A URI reference identifying this occurrence.");
        schema.Required = new HashSet<string> { "title", "status" };
        if (type == typeof(HttpValidationProblemDetails))
        {
            Describe(schema, "errors", "Messages by parameter name.");
            schema.Required.Add("errors");
        }

        schema.Examples = [type == typeof(HttpValidationProblemDetails) ? ApiExamples.ValidationProblem() : ApiExamples.NotFoundProblem()];
        return Task.CompletedTask;
    }

    /// <param name="alwaysSet">The type of a property every answer of this API sets: never null.</param>
    private static void Describe(OpenApiSchema schema, string property, string description, JsonSchemaType? alwaysSet = null)
    {
        if (schema.Properties is { } properties && properties.TryGetValue(property, out var found) && found is OpenApiSchema inline)
        {
            inline.Description = description;
            inline.Type = alwaysSet ?? inline.Type;
        }
    }
}
