using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Query.Api.Configuration;

/// <summary>Binds Kestrel to HOST:PORT only, so the API listens exactly where it is configured.</summary>
public sealed class KestrelBinding(IOptions<ApiOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var settings = options.Value;
        if (settings.Host == "localhost")
        {
            kestrel.ListenLocalhost(settings.Port);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(settings.Host), settings.Port);
        }
    }
}
