using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Query.Api.OpenApi;

/// <summary>
/// Documents the 429 ProblemDetails (with Retry-After) of every operation that ASP.NET Core rate limiting
/// covers: a global limiter or an endpoint policy, unless the endpoint opts out with DisableRateLimiting.
/// </summary>
internal sealed class RateLimitResponses(IOptions<RateLimiterOptions> rateLimiting) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var limited = !metadata.OfType<DisableRateLimitingAttribute>().Any()
            && (rateLimiting.Value.GlobalLimiter is not null || metadata.OfType<EnableRateLimitingAttribute>().Any());
        if (!limited)
        {
            return;
        }

        var problem = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), cancellationToken: cancellationToken);
        operation.Responses ??= [];
        operation.Responses["429"] = new OpenApiResponse
        {
            Description = "Too many requests from this client address; retry after the number of seconds in Retry-After.",
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before the next request.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
                },
            },
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
    }
}
