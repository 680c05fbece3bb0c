using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Query.Api.Configuration;
using Query.Api.RateLimiting;

namespace Query.Api.CrossOrigin;

/// <summary>
/// CORS for the origins in CORS_ORIGINS: preflights answered, GET allowed with any request header (the API
/// has no cookies or credentials to protect, and a client sends If-None-Match or Last-Event-ID), and the
/// response headers a client needs exposed. Another origin gets no CORS headers, so the browser blocks it.
/// </summary>
public static class CrossOriginSetup
{
    /// <summary>Response headers a page may read besides the CORS-safelisted ones.</summary>
    public static readonly string[] ExposedHeaders =
        ["Link", "ETag", "Retry-After", ClientRateLimit.LimitHeader, ClientRateLimit.RemainingHeader];

    // Browsers cap it (Chromium at 2 h); an hour spares a preflight per request while a changed setting still reaches them soon.
    private static readonly TimeSpan PreflightMaxAge = TimeSpan.FromHours(1);

    public static IServiceCollection AddCrossOrigin(this IServiceCollection services)
    {
        services.AddCors();
        services.AddSingleton<IConfigureOptions<CorsOptions>, CrossOriginPolicy>();
        return services;
    }

    /// <summary>Without CORS_ORIGINS nothing is added: no origin is allowed and requests pay nothing for it.</summary>
    public static void UseCrossOrigin(this WebApplication app)
    {
        if (!Origins(app.Services.GetRequiredService<IOptions<ApiOptions>>().Value).None)
        {
            app.UseCors();
        }
    }

    // Validated at start (ApiOptionsValidator), so parsing cannot fail here.
    private static AllowedOrigins Origins(ApiOptions options) => AllowedOrigins.TryParse(options.CorsOrigins, out _)!;

    private sealed class CrossOriginPolicy(IOptions<ApiOptions> options) : IConfigureOptions<CorsOptions>
    {
        public void Configure(CorsOptions cors) => cors.AddDefaultPolicy(policy =>
        {
            var origins = Origins(options.Value);
            if (origins.Any)
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. origins.Origins]);
            }

            policy.WithMethods(HttpMethods.Get)
                .AllowAnyHeader()
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(PreflightMaxAge);
        });
    }
}
