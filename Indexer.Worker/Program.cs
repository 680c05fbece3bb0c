using System.Runtime.InteropServices;
using Indexer.Worker;
using Indexer.Worker.Configuration;
using Indexer.Worker.Operations;
using Indexer.Worker.Replay;
using Indexer.Worker.SingleWriter;
using Indexer.Worker.Startup;
using Indexer.Worker.Status;
using Indexer.Worker.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nethereum.JsonRpc.Client;
using ServiceDefaults;
using ServiceDefaults.Health;
using ServiceDefaults.Startup;

// Indexer.Worker: with no argument it rebuilds the projection and then follows the chain;
// `replay` rebuilds the projection from the event log alone (no RPC) and exits;
// `verify` rebuilds it in memory, compares it with the stored one, and exits 1 on any difference.
const string Usage = "usage: Indexer.Worker [replay|verify]";
var replayOnly = args is ["replay"];
var verifyOnly = args is ["verify"];
if (args.Length > 0 && !replayOnly && !verifyOnly)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

return await ServiceStart.RunAsync(() => replayOnly || verifyOnly ? RunCommandAsync(verifyOnly) : RunWorkerAsync());

static async Task<int> RunWorkerAsync()
{
    // A web host for the operations listener (probes, /metrics).
    var builder = ServiceHost.CreateBuilder();
    // Disposed after the host, whose pool it may have become.
    await using var sessionsAhead = SessionsAhead.TryStart(builder.Configuration, forWriter: true);
    builder.AddServiceDefaults(new ServiceIdentity("x402-indexer", [IndexerMetrics.MeterName], [IndexerTracing.SourceName], TraceSql: false))
        .AddCheck<WriterOrStandby>(WriterOrStandby.Name, tags: [Probes.Ready]);
    builder.Services.AddIndexer(builder.Configuration, sessionsAhead);

    await using var host = builder.Build();
    var settings = ApplySettings(host);
    // Mapped first: the metrics provider then counts the preflight's own calls to the node.
    host.MapServiceDefaults();
    // The writer's connection opens while the preflight runs; the lock is asked for once the preflight passed.
    host.Services.GetRequiredService<WriterLock>().ConnectAhead(CancellationToken.None);
    // A worker of a fleet waits out a node or database that is down; a one-off command reports it.
    await host.Services.GetRequiredService<Preflight>().CheckUntilReadyAsync(CancellationToken.None);
    ListenAddress.EnsureFree(settings.MetricsHost, settings.MetricsPort, "METRICS_PORT");
    await host.RunAsync();
    return Environment.ExitCode;
}

static async Task<int> RunCommandAsync(bool verify)
{
    // A one-off command serves nothing: no web host, no listener, no telemetry.
    var builder = ServiceHost.CreateCommandBuilder();
    await using var sessionsAhead = SessionsAhead.TryStart(builder.Configuration, forWriter: !verify);
    builder.AddCommandDefaults();
    builder.Services.AddIndexer(builder.Configuration, sessionsAhead);

    using var host = builder.Build();
    ApplySettings(host);
    var preflight = host.Services.GetRequiredService<Preflight>();
    using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    if (verify)
    {
        await preflight.CheckAsync(forIngestion: false, startup.Token);
        return await VerifyCommand.RunAsync(host.Services, Console.Out, CancellationToken.None);
    }

    // The writer lock is asked for on its own connection while the preflight runs: the rebuild starts a round trip sooner.
    await using var writer = await AfterPreflightAsync(
        preflight.CheckAsync(forIngestion: false, startup.Token),
        host.Services.GetRequiredService<WriterLock>().TryAcquireOnceAsync(startup.Token));
    if (writer is null)
    {
        Console.Error.WriteLine("A running worker holds the writer lock, and it replays on every start: restart it instead.");
        return 2;
    }

    // SIGTERM or Ctrl-C stops the rebuild before its swap: the old projection stays as it was.
    using var interrupted = new CancellationTokenSource();
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; interrupted.Cancel(); });
    using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; interrupted.Cancel(); });
    try
    {
        await host.Services.GetRequiredService<ProjectionRebuilder>().RebuildAsync(writer.Connection, interrupted.Token);
    }
    catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
    {
        Console.Error.WriteLine("Replay interrupted before its swap: the projection is unchanged.");
        await host.Services.GetRequiredService<StatusStore>().ReplayFailedAsync(CancellationToken.None);
        return 130;
    }

    return 0;
}

// The settings are bound and validated when first read, here: a bad one reaches ServiceStart.
static WorkerOptions ApplySettings(IHost host)
{
    var settings = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
    // Per-attempt timeouts are Polly's; Nethereum's own limit must not cut a call short first.
    ClientBase.ConnectionTimeout = TimeSpan.FromMilliseconds(settings.RpcTimeoutMs * 2L);
    return settings;
}

// A preflight that fails is what the operator reads; the lock, if it was taken meanwhile, is let go.
static async Task<WriterSession?> AfterPreflightAsync(Task preflight, Task<WriterSession?> acquiring)
{
    try
    {
        await preflight;
    }
    catch
    {
        // If taking the lock failed too, the preflight's failure is still the one reported.
        await OpenedAhead.DisposeAsync(acquiring);
        throw;
    }

    return await acquiring;
}
