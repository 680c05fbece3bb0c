using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Query.Api.Configuration;

namespace Query.Api.RateLimiting;

/// <summary>
/// The client address behind TRUSTED_PROXIES: X-Forwarded-For is read only on connections from them
/// (ASP.NET Core's defaults, loopback included, are cleared), walked from the right through every trusted
/// hop, and stops at the first address that is not a trusted proxy: that is the client. Only the address
/// is taken; the scheme and host stay the connection's, since the API builds no absolute URL.
/// </summary>
public sealed class ForwardedClientAddress(IOptions<ApiOptions> options) : IConfigureOptions<ForwardedHeadersOptions>
{
    public void Configure(ForwardedHeadersOptions forwarded)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        // No fixed hop count: every hop is checked against the trusted list instead, so a client's own entries never count.
        forwarded.ForwardLimit = null;
        var proxies = TrustedProxies.TryParse(options.Value.TrustedProxies, out _)!;
        foreach (var address in proxies.Addresses)
        {
            forwarded.KnownProxies.Add(address);
        }

        foreach (var network in proxies.Networks)
        {
            forwarded.KnownIPNetworks.Add(network);
        }
    }
}
