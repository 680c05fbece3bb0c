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
}
