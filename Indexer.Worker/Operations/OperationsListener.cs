using System.Net;
using Indexer.Worker.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Indexer.Worker.Operations;

/// <summary>Binds Kestrel to METRICS_HOST:METRICS_PORT only: the worker serves /metrics and its probes there, nothing else.</summary>
public sealed class OperationsListener(IOptions<WorkerOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var settings = options.Value;
        if (settings.MetricsHost == "localhost")
        {
            kestrel.ListenLocalhost(settings.MetricsPort);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(settings.MetricsHost), settings.MetricsPort);
        }

        kestrel.AddServerHeader = false;
    }
}
