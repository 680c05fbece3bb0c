using Indexer.Worker.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ServiceDefaults.Startup;

namespace Indexer.Worker.Operations;

/// <summary>Binds Kestrel to METRICS_HOST:METRICS_PORT only: the worker serves /metrics and its probes there, nothing else.</summary>
public sealed class OperationsListener(IOptions<WorkerOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel) => kestrel.ListenOn(options.Value.MetricsHost, options.Value.MetricsPort);
}
