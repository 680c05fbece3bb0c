using Microsoft.Extensions.Configuration;

namespace Query.Api.Configuration;

/// <summary>The API's settings, bound from environment variables (or .env).</summary>
public sealed class ApiOptions
{
    /// <summary>Should log in as a member of x402_reader; connections are read-only regardless.</summary>
    [ConfigurationKeyName("DATABASE_URL")]
    public string DatabaseUrl { get; set; } = string.Empty;

    [ConfigurationKeyName("PORT")]
    public int Port { get; set; } = 3000;

    /// <summary>The address to listen on: an IP address, or "localhost".</summary>
    [ConfigurationKeyName("HOST")]
    public string Host { get; set; } = "127.0.0.1";

    [ConfigurationKeyName("DB_POOL_SIZE")]
    public int DbPoolSize { get; set; } = 64;

    [ConfigurationKeyName("DB_COMMAND_TIMEOUT_S")]
    public int DbCommandTimeoutSeconds { get; set; } = 5;

    /// <summary>Memory for reusable answers (serialized JSON); 0 stores none, so every request reads the database.</summary>
    [ConfigurationKeyName("CACHE_SIZE_MB")]
    public int CacheSizeMegabytes { get; set; } = 64;

    /// <summary>
    /// How old the last read of the data version (and of /status) may be when a request arrives: a
    /// commit is visible to every request that arrives this long after it. 0 reads it for every request.
    /// </summary>
    [ConfigurationKeyName("CACHE_MAX_STALENESS_MS")]
    public int CacheMaxStalenessMilliseconds { get; set; } = 5;

    /// <summary>
    /// Origins whose pages may call the API from a browser: a comma-separated list (e.g.
    /// https://app.example.com,http://localhost:5173), or * for any; empty allows none.
    /// </summary>
    [ConfigurationKeyName("CORS_ORIGINS")]
    public string CorsOrigins { get; set; } = string.Empty;

    /// <summary>Requests one client address may make per minute (health endpoints exempt); 0 turns the limit off.</summary>
    [ConfigurationKeyName("RATE_LIMIT_PER_MINUTE")]
    public int RateLimitPerMinute { get; set; } = 600;

    /// <summary>
    /// Proxies (IP addresses or CIDR networks, comma-separated) whose X-Forwarded-For names the client;
    /// anyone else's header is ignored. Empty trusts nobody's.
    /// </summary>
    [ConfigurationKeyName("TRUSTED_PROXIES")]
    public string TrustedProxies { get; set; } = string.Empty;

    /// <summary>Concurrent GET /stream clients; one more is answered 503.</summary>
    [ConfigurationKeyName("STREAM_MAX_CLIENTS")]
    public int StreamMaxClients { get; set; } = 1000;

    /// <summary>How many blocks behind the checkpoint a Last-Event-ID may be and still be resumed from the log.</summary>
    [ConfigurationKeyName("STREAM_RESUME_WINDOW_BLOCKS")]
    public int StreamResumeWindowBlocks { get; set; } = 1000;

    /// <summary>How often the streams read the checkpoint where LISTEN is unavailable (a read replica).</summary>
    [ConfigurationKeyName("STREAM_POLL_INTERVAL_MS")]
    public int StreamPollIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Internal: the keep-alive comment's interval (tests shorten it).</summary>
    [ConfigurationKeyName("STREAM_KEEP_ALIVE_MS")]
    public int StreamKeepAliveMilliseconds { get; set; } = 15000;

    /// <summary>Internal: batches of events a stream may have waiting before it is dropped as too slow (tests shorten it).</summary>
    [ConfigurationKeyName("STREAM_QUEUE_BATCHES")]
    public int StreamQueueBatches { get; set; } = 64;

    /// <summary>
    /// A block explorer the dashboard links to ({EXPLORER_URL}/tx/{hash}, /block/{n}, /address/{a}),
    /// e.g. https://explorer.cronos.org/testnet; empty shows no links.
    /// </summary>
    [ConfigurationKeyName("EXPLORER_URL")]
    public string ExplorerUrl { get; set; } = string.Empty;
}
