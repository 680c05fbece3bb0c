using System.Net;
using Microsoft.Extensions.Options;
using ServiceDefaults.Configuration;
using Query.Api.CrossOrigin;
using Query.Api.RateLimiting;

namespace Query.Api.Configuration;

/// <summary>Checks every setting at start; each failure names its variable and never echoes a secret.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    private const int MaxRateLimitPerMinute = 1_000_000;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        try
        {
            DatabaseUrl.Parse(options.DatabaseUrl);
        }
        catch (InvalidDatabaseUrlException e)
        {
            failures.Add(e.Message.TrimEnd('.'));
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add("PORT must be between 1 and 65535");
        }

        if (options.Host != "localhost" && !IPAddress.TryParse(options.Host, out _))
        {
            failures.Add("HOST must be an IP address (e.g. 127.0.0.1 or 0.0.0.0) or localhost");
        }

        if (options.DbPoolSize is < 1 or > 1000)
        {
            failures.Add("DB_POOL_SIZE must be between 1 and 1000");
        }

        if (options.DbCommandTimeoutSeconds is < 1 or > 600)
        {
            failures.Add("DB_COMMAND_TIMEOUT_S must be between 1 and 600");
        }

        if (options.CacheSizeMegabytes is < 0 or > 16384)
        {
            failures.Add("CACHE_SIZE_MB must be between 0 and 16384");
        }

        if (options.CacheMaxStalenessMilliseconds is < 0 or > 60000)
        {
            failures.Add("CACHE_MAX_STALENESS_MS must be between 0 and 60000");
        }

        if (AllowedOrigins.TryParse(options.CorsOrigins, out var originError) is null)
        {
            failures.Add($"CORS_ORIGINS must be {AllowedOrigins.Format}: {originError}");
        }

        if (options.RateLimitPerMinute is < 0 or > MaxRateLimitPerMinute)
        {
            failures.Add($"RATE_LIMIT_PER_MINUTE must be between 0 (no limit) and {MaxRateLimitPerMinute}");
        }

        if (TrustedProxies.TryParse(options.TrustedProxies, out var proxyError) is null)
        {
            failures.Add($"TRUSTED_PROXIES must be {TrustedProxies.Format}: {proxyError}");
        }

        if (options.StreamMaxClients is < 1 or > 1_000_000)
        {
            failures.Add("STREAM_MAX_CLIENTS must be between 1 and 1000000");
        }

        if (options.StreamResumeWindowBlocks is < 0)
        {
            failures.Add("STREAM_RESUME_WINDOW_BLOCKS must be 0 or more");
        }

        if (options.StreamPollIntervalMilliseconds is < 10 or > 600_000)
        {
            failures.Add("STREAM_POLL_INTERVAL_MS must be between 10 and 600000");
        }

        if (options.StreamKeepAliveMilliseconds is < 10 or > 600_000)
        {
            failures.Add("STREAM_KEEP_ALIVE_MS must be between 10 and 600000");
        }

        if (options.StreamQueueBatches is < 1 or > 100_000)
        {
            failures.Add("STREAM_QUEUE_BATCHES must be between 1 and 100000");
        }

        if (!IsExplorerUrl(options.ExplorerUrl))
        {
            failures.Add("EXPLORER_URL must be an absolute http or https URL without query or fragment, or empty");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Paths are appended to it, so a query or fragment would end up in the middle of every link.
    private static bool IsExplorerUrl(string url) =>
        url.Length == 0
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && url.IndexOfAny(['?', '#']) < 0);
}
