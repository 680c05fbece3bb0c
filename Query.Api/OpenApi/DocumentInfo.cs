using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Query.Api.OpenApi;

/// <summary>The document's title, version, overview and tag descriptions.</summary>
internal sealed class DocumentInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "x402 Workflow Observer API",
            Version = ApiDocumentation.DocumentName,
            Description = """
                Read-only HTTP API over the workflows the x402 Workflow Observer reconstructs from on-chain events.
                JSON in camelCase; errors are RFC 9457 ProblemDetails (application/problem+json). Bad input is a 400
                naming the parameter, an unknown workflow a 404, a data request while the database is unreachable a 503.
                Amounts are wei as decimal strings; timestamps are block timestamps in unix seconds.
                """,
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Workflows", Description = "Workflows derived from the event log." },
            new() { Name = "Indexer", Description = "What the indexing worker has done and how it is doing." },
            new() { Name = "Health", Description = "Liveness and database reachability, for load balancers and orchestrators." },
        };
        return Task.CompletedTask;
    }
}
