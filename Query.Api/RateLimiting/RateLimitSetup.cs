using System.Globalization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Query.Api.Configuration;

namespace Query.Api.RateLimiting;

public static class RateLimitSetup
{
    public static IServiceCollection AddClientRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedClientAddress>();
        services.AddRateLimiter(_ => { });
        services.AddSingleton<IConfigureOptions<RateLimiterOptions>, ClientRateLimit>();
        return services;
    }

    /// <summary>
    /// Forwarded client addresses first, so that everything after sees the client. Only what is configured is
    /// added: with no TRUSTED_PROXIES and RATE_LIMIT_PER_MINUTE=0 requests pay nothing for either.
    /// </summary>
    public static void UseClientAddresses(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        if (!TrustedProxies.TryParse(settings.TrustedProxies, out _)!.None)
        {
            app.UseForwardedHeaders();
        }
    }

    /// <summary>
    /// The limiter, then X-RateLimit-Limit and X-RateLimit-Remaining (tokens left after this request) on
    /// every counted answer, so that a client can slow down before it meets a 429.
    /// </summary>
    public static void UseClientRateLimits(this WebApplication app)
    {
        var perMinute = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimitPerMinute;
        if (perMinute == 0)
        {
            return;
        }

        app.UseRateLimiter();
        var limiter = app.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        var limit = perMinute.ToString(CultureInfo.InvariantCulture);
        app.Use((context, next) =>
        {
            if (!ClientRateLimit.IsExempt(context) && limiter.GetStatistics(context) is { } statistics)
            {
                var headers = context.Response.Headers;
                headers[ClientRateLimit.LimitHeader] = limit;
                headers[ClientRateLimit.RemainingHeader] = statistics.CurrentAvailablePermits.ToString(CultureInfo.InvariantCulture);
            }

            return next(context);
        });
    }
}
