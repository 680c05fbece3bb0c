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
    /// A block explorer the dashboard links to ({EXPLORER_URL}/tx/{hash}, /block/{n}, /address/{a}),
    /// e.g. https://explorer.cronos.org/testnet; empty shows no links.
    /// </summary>
    [ConfigurationKeyName("EXPLORER_URL")]
    public string ExplorerUrl { get; set; } = string.Empty;
}
