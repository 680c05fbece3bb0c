using FluentValidation;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Query.Api.Configuration;

namespace Query.Api.Streaming;

public static class StreamEndpoints
{
    public static IServiceCollection AddStreaming(this IServiceCollection services) => services
        .AddSingleton(provider => StreamSettings.From(provider.GetRequiredService<IOptions<ApiOptions>>().Value))
        .AddSingleton<StreamAdmission>()
        // Created with the meter provider, so that x402.api.streams.open is scraped (as 0) before the first stream.
        .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInstrumentation(provider => provider.GetRequiredService<StreamAdmission>()))
        .AddSingleton<ChangeLog>()
        .AddSingleton<CatchUpGate>()
        .AddSingleton<ChangeListener>()
        .AddSingleton<StreamStarts>()
        .AddSingleton<StreamSession>()
        .AddSingleton<ChangeFeed>()
        .AddHostedService(provider => provider.GetRequiredService<ChangeFeed>());

    /// <summary>GET /stream[?workflowId=0x…]: server-sent events of workflow changes, status, reorgs; see README "Live updates".</summary>
    public static void MapStream(this IEndpointRouteBuilder app) =>
        app.MapGet("/stream", async (
            [AsParameters] StreamRequest request,
            HttpContext context,
            IValidator<StreamRequest> validator,
            StreamAdmission admission,
            StreamStarts starts,
            ChangeFeed feed,
            StreamSession session) =>
        {
            var validation = await validator.ValidateAsync(request, context.RequestAborted);
            if (!validation.IsValid)
            {
                return Results.ValidationProblem(validation.ToDictionary());
            }

            if (!admission.TryEnter())
            {
                return Unavailable(context, "Too many streams", "The API serves as many streams as STREAM_MAX_CLIENTS allows; retry later.");
            }

            try
            {
                var start = await starts.ResolveAsync(context.Request.Headers["Last-Event-ID"], context.RequestAborted);
                StreamSubscription? subscription = null;
                if (start is StreamStart.Live)
                {
                    subscription = await feed.SubscribeAsync(context.RequestAborted);
                    if (subscription is null)
                    {
                        return Unavailable(context, "Stream not ready", "The live feed has not read the database yet, or the API is stopping; retry shortly.");
                    }
                }

                await session.RunAsync(context, start, subscription, request.Normalized);
                return Results.Empty;
            }
            finally
            {
                admission.Leave();
            }
        })
            .WithName("streamChanges")
            .WithTags("Live")
            .WithSummary("Live updates as server-sent events")
            .WithDescription(
                "text/event-stream of what each commit changed: workflow (workflowId, status, phase, blockNumber, transactionIndex, logIndex), " +
                "status (chainHead, confirmedHead, lastIndexedBlock, lag), reorg (depth, ancestor) and reset (reason) events, each with an id; " +
                "a keep-alive comment every 15 s. Reconnecting with Last-Event-ID resumes from the event log, or gets reset. " +
                "Beyond STREAM_MAX_CLIENTS streams: 503 with Retry-After.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static IResult Unavailable(HttpContext context, string title, string detail)
    {
        context.Response.Headers.RetryAfter = "5";
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail);
    }
}
