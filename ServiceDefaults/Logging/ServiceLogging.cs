using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ServiceDefaults.Configuration;

namespace ServiceDefaults.Logging;

/// <summary>
/// Console logging of every process: one human-readable line per entry by default, or with
/// <c>LOG_FORMAT=json</c> one JSON object per line (the built-in JSON console formatter), whose scopes
/// carry the trace and span ids of the request or range being handled.
/// </summary>
public static class ServiceLogging
{
    public const string FormatSetting = "LOG_FORMAT";

    public static ILoggingBuilder AddServiceLogging(this ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.ClearProviders();
        // Request lines of the HTTP listeners are noise next to the processes' own log.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.Configure(factory => factory.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        switch (configuration[FormatSetting]?.Trim().ToLowerInvariant())
        {
            case null or "" or "text":
                logging.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
                    console.UseUtcTimestamp = true;
                });
                break;
            case "json":
                logging.AddJsonConsole(console =>
                {
                    console.IncludeScopes = true;
                    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    console.UseUtcTimestamp = true;
                    console.JsonWriterOptions = new JsonWriterOptions { Indented = false };
                });
                break;
            default:
                throw new ConfigurationException($"{FormatSetting} must be text or json");
        }

        return logging;
    }
}
