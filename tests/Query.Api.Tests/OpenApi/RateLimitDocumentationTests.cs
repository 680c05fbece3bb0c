using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Query.Api.OpenApi;

namespace Query.Api.Tests.OpenApi;

/// <summary>
/// The 429 of ASP.NET Core rate limiting is documented exactly where a limiter applies. In process: the
/// document of a small app with the API's document setup, with and without a global limiter.
/// </summary>
public sealed class RateLimitDocumentationTests
{
    [Test]
    public async Task WithAGlobalLimiterEveryEndpointButTheExemptOnesDocuments429WithRetryAfter()
    {
        var document = await DocumentAsync(withGlobalLimiter: true);
        var limited = document.Paths["/limited"].Operations![HttpMethod.Get].Responses!;
        var exempt = document.Paths["/exempt"].Operations![HttpMethod.Get].Responses!;

        Assert.Multiple(() =>
        {
            Assert.That(limited.Keys, Does.Contain("429"));
            Assert.That(limited["429"].Headers!.Keys, Does.Contain("Retry-After"));
            Assert.That(limited["429"].Content!.Keys, Is.EqualTo(new[] { "application/problem+json" }));
            Assert.That(exempt.Keys, Does.Not.Contain("429"));
        });
    }

    [Test]
    public async Task WithoutALimiterNoEndpointDocuments429()
    {
        var document = await DocumentAsync(withGlobalLimiter: false);

        Assert.That(document.Paths.Keys, Is.EquivalentTo(new[] { "/limited", "/exempt" }));
        Assert.That(
            document.Paths.Values.SelectMany(path => path.Operations!.Values).SelectMany(operation => operation.Responses!.Keys),
            Does.Not.Contain("429"));
    }

    private static async Task<Microsoft.OpenApi.OpenApiDocument> DocumentAsync(bool withGlobalLimiter)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddApiDocumentation();
        if (withGlobalLimiter)
        {
            builder.Services.AddRateLimiter(limiter =>
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetNoLimiter("everyone")));
        }

        await using var app = builder.Build();
        app.MapGet("/limited", () => "limited");
        app.MapGet("/exempt", () => "exempt").DisableRateLimiting();
        // Started, so that the endpoints are routed (no request is sent).
        await app.StartAsync();
        var provider = app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(ApiDocumentation.DocumentName);
        return await provider.GetOpenApiDocumentAsync();
    }
}
