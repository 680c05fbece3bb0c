using ServiceDefaults.Configuration;
using Npgsql;
using Query.Api.Configuration;

namespace Query.Api.Database;

/// <summary>
/// The API's connection pool. Every session runs with default_transaction_read_only=on, so even a
/// role with more rights than SELECT cannot write through this process.
/// </summary>
public static class ReadOnlyDatabase
{
    public static NpgsqlConnectionStringBuilder ConnectionFor(ApiOptions options)
    {
        var connection = DatabaseUrl.Parse(options.DatabaseUrl);
        connection.ApplicationName = "x402-query-api";
        connection.Options = "-c default_transaction_read_only=on";
        connection.MaxPoolSize = options.DbPoolSize;
        connection.CommandTimeout = options.DbCommandTimeoutSeconds;
        connection.Timeout = Math.Min(options.DbCommandTimeoutSeconds, 15);

        // The API runs a handful of statements over and over: prepared once per connection, they skip parsing and planning.
        connection.MaxAutoPrepare = 16;
        connection.AutoPrepareMinUsages = 2;

        // No multiplexing: with it, random /workflows/{id} misses under wrk (64 connections, 2 cores)
        // queued behind each other on a few connections, p99 59 ms; one connection a query, 24 ms.

        // Nothing here changes session state (read-only, no SET, no temp tables), so a returned connection needs no reset.
        connection.NoResetOnClose = true;
        return connection;
    }
}
