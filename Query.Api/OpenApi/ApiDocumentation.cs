using System.Text.Json.Serialization;
using Scalar.AspNetCore;

namespace Query.Api.OpenApi;

/// <summary>
/// The OpenAPI document of the real endpoints at /openapi/v1.json, and an interactive reference at /docs
/// whose page, script and configuration all come from this process (no CDN, fonts, telemetry or proxy).
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentRoute = "/openapi/{documentName}.json";
    public const string ReferenceRoute = "/docs";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        // The API writes numbers as numbers and reads no JSON body: without this, the web defaults (numbers
        // may also be read from strings) would document every integer as "an integer or a numeric string".
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer<DocumentInfo>();
            options.AddOperationTransformer<ParameterDocumentation>();
            options.AddOperationTransformer<RateLimitResponses>();
            options.AddSchemaTransformer<SchemaConventions>();
            options.AddSchemaTransformer<ProblemDetailsSchema>();
        });
    }

    public static void MapApiDocumentation(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentRoute);
        app.MapScalarApiReference(ReferenceRoute, reference => reference
            .WithTitle("x402 Workflow Observer API")
            .WithOpenApiRoutePattern(DocumentRoute)
            .AddDocument(DocumentName)
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools());
    }
}
