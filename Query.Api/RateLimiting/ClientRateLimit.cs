using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Query.Api.Configuration;

namespace Query.Api.RateLimiting;

/// <summary>
/// RATE_LIMIT_PER_MINUTE per client address (the connection's, or the one a trusted proxy forwarded): a
/// token bucket per address that holds a minute's requests and refills evenly, so a client may spend its
/// minute in a burst and then goes at the steady rate. A request takes its token when it starts, so a
/// long-lived /stream counts once. Health endpoints and /metrics are exempt: probes and scrapes must never be turned away.
/// Beyond the limit: 429 ProblemDetails with Retry-After (whole seconds until the next token).
/// </summary>
public sealed class ClientRateLimit(IOptions<ApiOptions> options) : IConfigureOptions<RateLimiterOptions>
{
    public const string LimitHeader = "X-RateLimit-Limit";
    public const string RemainingHeader = "X-RateLimit-Remaining";

    private static readonly PathString Health = "/health";

    // The partition of requests without a remote address (none over TCP; kept so the limiter never sees null).
    private static readonly IPAddress Unknown = IPAddress.IPv6None;

    private static readonly PathString Metrics = "/metrics";

    public static bool IsExempt(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Health) || context.Request.Path.StartsWithSegments(Metrics);

    public void Configure(RateLimiterOptions limiter)
    {
        var perMinute = options.Value.RateLimitPerMinute;
        if (perMinute == 0)
        {
            return;
        }

        // AutoReplenishment off: the partitioned limiter refills every bucket from one timer, by the time elapsed.
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(context => IsExempt(context)
            ? RateLimitPartition.GetNoLimiter(Unknown)
            : RateLimitPartition.GetTokenBucketLimiter(ClientOf(context), _ => bucket));
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = (rejected, _) => RejectAsync(rejected, perMinute);
    }

    private static IPAddress ClientOf(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => Unknown,
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4(),
        var address => address,
    };

    private static async ValueTask RejectAsync(OnRejectedContext rejected, int perMinute)
    {
        var context = rejected.HttpContext;
        var retryAfterSeconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : 60;
        var headers = context.Response.Headers;
        headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        headers[LimitHeader] = perMinute.ToString(CultureInfo.InvariantCulture);
        headers[RemainingHeader] = "0";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                // ASP.NET Core has no default type for 429; this is where the status is defined.
                Type = "https://tools.ietf.org/html/rfc6585#section-4",
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This client address may make {perMinute} requests a minute; retry after {retryAfterSeconds} s.",
            },
        });
    }
}
