using Indexer.Worker;
using Indexer.Worker.Chain;
using Indexer.Worker.Configuration;
using Indexer.Worker.Ingestion;
using Indexer.Worker.Operations;
using Indexer.Worker.Proofs;
using Indexer.Worker.Reorgs;
using Indexer.Worker.Replay;
using Indexer.Worker.SingleWriter;
using Indexer.Worker.Startup;
using Indexer.Worker.Status;
using Indexer.Worker.Verification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migrations.Schema;
using ServiceDefaults.Configuration;
using ServiceDefaults.Health;
using ServiceDefaults.Logging;
using ServiceDefaults.Startup;
using ServiceDefaults.Telemetry;
using Nethereum.JsonRpc.Client;
using Npgsql;
using System.Runtime.InteropServices;

// Indexer.Worker: with no argument it rebuilds the projection and then follows the chain;
// `replay` rebuilds the projection from the event log alone (no RPC) and exits;
// `verify` rebuilds it in memory, compares it with the stored one, and exits 1 on any difference.
const string Usage = "usage: Indexer.Worker [replay|verify]";
// A longer answer splits its range; it also bounds the memory one answer can take.
const int MaxRpcAnswerBytes = 64 * 1024 * 1024;
var replayOnly = args is ["replay"];
var verifyOnly = args is ["verify"];
if (args.Length > 0 && !replayOnly && !verifyOnly)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

return await ServiceStart.RunAsync(async () =>
{
    // A web host for the operations listener (probes, /metrics); a replay or verify run never starts it.
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
    builder.Logging.AddServiceLogging(builder.Configuration);

    builder.Services.AddOptions<WorkerOptions>().Bind(builder.Configuration).ValidateOnStart();
    builder.Services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
    builder.Services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>(
        (host, worker) => host.ShutdownTimeout = TimeSpan.FromMilliseconds(worker.Value.ShutdownTimeoutMs));
    builder.Services.AddSingleton(provider =>
    {
        var connection = DatabaseUrl.Parse(provider.GetRequiredService<IOptions<WorkerOptions>>().Value.DatabaseUrl);
        connection.ApplicationName = "x402-indexer";
        return connection;
    });
    builder.Services.AddSingleton(provider => NpgsqlDataSource.Create(provider.GetRequiredService<NpgsqlConnectionStringBuilder>()));
    builder.Services.AddSingleton(provider => new SchemaMigrator(provider.GetRequiredService<NpgsqlConnectionStringBuilder>()));
    builder.Services.AddSingleton<RpcCircuit>();
    builder.Services.AddSingleton<IChainClient>(provider =>
    {
        var settings = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
        var rpcUrl = new Uri(settings.RpcUrl);
        var http = new HttpClient(new RpcHttpHandler()) { BaseAddress = rpcUrl, Timeout = Timeout.InfiniteTimeSpan };
        var pipeline = RpcPipeline.Build(settings, provider.GetRequiredService<RpcCircuit>(), provider.GetRequiredService<ILogger<NethereumChainClient>>());
        var limits = new ChainClientLimits(settings.RpcBatchSize, MaxRpcAnswerBytes, settings.RpcTimeoutMs);
        return new NethereumChainClient(new RpcClient(rpcUrl, http), http, pipeline, limits);
    });
    builder.Services.AddSingleton(provider => WorkerInstance.ForThisProcess(provider.GetRequiredService<IOptions<WorkerOptions>>().Value.ChainId));
    builder.Services.AddSingleton<StatusStore>();
    builder.Services.AddSingleton<WorkerRole>();
    builder.Services.AddSingleton<WriterLock>();
    builder.Services.AddSingleton<RangeFetcher>();
    builder.Services.AddSingleton<ReorgRepair>();
    builder.Services.AddSingleton<ChainFollower>();
    builder.Services.AddSingleton<ProjectionRebuilder>();
    builder.Services.AddSingleton<Preflight>();
    builder.Services.AddSingleton<ReplayCompletion>();
    builder.Services.AddSingleton<ProofCalculator>();
    builder.Services.AddSingleton<ProofStore>();
    builder.Services.AddSingleton<ProjectionVerifier>();
    builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, OperationsListener>();
    builder.Services.AddServiceTelemetry(
        builder.Configuration, "x402-indexer", [IndexerTracing.SourceName], [IndexerTracing.SourceName], traceSql: false);
    builder.Services.AddServiceHealthChecks().AddCheck<WriterOrStandby>(WriterOrStandby.Name, tags: [Probes.Ready]);
    builder.Services.AddHostedService<HeartbeatService>();
    builder.Services.AddHostedService<IndexerService>();
    builder.Services.AddHostedService<ProofService>();

    await using var host = builder.Build();
    host.MapProbes();
    host.MapMetrics();
    // Building resolved nothing yet: the validated settings are read here, and a bad one reaches ServiceStart.
    var settings = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
    // Per-attempt timeouts are Polly's; Nethereum's own limit must not cut a call short first.
    ClientBase.ConnectionTimeout = TimeSpan.FromMilliseconds(settings.RpcTimeoutMs * 2L);

    var preflight = host.Services.GetRequiredService<Preflight>();
    if (!replayOnly && !verifyOnly)
    {
        // A worker of a fleet waits out a node or database that is down; a one-off command reports it.
        await preflight.CheckUntilReadyAsync(CancellationToken.None);
        await host.RunAsync();
        return Environment.ExitCode;
    }

    using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    await preflight.CheckAsync(forIngestion: false, startup.Token);
    if (verifyOnly)
    {
        return await VerifyCommand.RunAsync(host.Services, Console.Out, CancellationToken.None);
    }

    await using var writer = await host.Services.GetRequiredService<WriterLock>().TryAcquireOnceAsync(startup.Token);
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
});
