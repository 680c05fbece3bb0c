using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ServiceDefaults.Startup;

namespace Query.Api.Configuration;

/// <summary>
/// Binds Kestrel to HOST:PORT only, so the API listens exactly where it is configured, and sets its limits
/// for what a client may send (see README, "Limits on requests").
/// </summary>
public sealed class KestrelBinding(IOptions<ApiOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    /// <summary>The longest request line: the longest real URL is under 1 KiB; the rest lets an oversized value get a 400 naming its parameter, not a bare 414.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>All header lines together: a browser's headers with a few KiB of cookies of a shared domain fit twice over; beyond it, 431.</summary>
    public const int MaxRequestHeadersBytes = 16 * 1024;

    /// <summary>A browser sends about 20 headers and proxies or a CDN add up to 15; beyond it, 431.</summary>
    public const int MaxRequestHeaderCount = 50;

    /// <summary>No endpoint takes a body: a larger one is refused (413) instead of being read and thrown away.</summary>
    public const int MaxRequestBodyBytes = 1024;

    /// <summary>A request head that takes longer (slowloris) is answered 408 and its connection closed.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Kestrel's default, kept on purpose: longer than the idle timeouts of common proxies and load balancers
    /// (60 s), so the proxy always closes an idle connection first and never sends a request down one the API
    /// is closing (which it would answer 502).
    /// </summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(130);

    public void Configure(KestrelServerOptions kestrel)
    {
        var settings = options.Value;
        kestrel.ListenOn(settings.Host, settings.Port);
        var limits = kestrel.Limits;
        limits.MaxRequestLineSize = MaxRequestLineBytes;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersBytes;
        limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
        limits.MaxRequestBodySize = MaxRequestBodyBytes;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        // Unlimited: up to STREAM_MAX_CLIENTS idle streams plus ordinary clients are expected, an idle connection
        // costs a few KiB, and a cap here would refuse health probes with the rest; the OS's descriptor limit
        // and the proxy in front bound connections.
        limits.MaxConcurrentConnections = null;
    }
}
