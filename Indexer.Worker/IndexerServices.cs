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
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nethereum.JsonRpc.Client;
using Npgsql;
using ServiceDefaults.Configuration;

namespace Indexer.Worker;

public static class IndexerServices
{
    // A longer answer splits its range; it also bounds the memory one answer can take.
    private const int MaxRpcAnswerBytes = 64 * 1024 * 1024;

    /// <summary>The worker's parts and its three background services, with its settings bound from <paramref name="configuration"/> and validated at start.</summary>
    /// <param name="sessionsAhead">Database sessions opened while the host is built, for the container to take.</param>
    public static IServiceCollection AddIndexer(this IServiceCollection services, IConfiguration configuration, SessionsAhead? sessionsAhead = null)
    {
        services.AddOptions<WorkerOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>(
            (host, worker) => host.ShutdownTimeout = TimeSpan.FromMilliseconds(worker.Value.ShutdownTimeoutMs));
        services.AddSingleton(provider => DatabaseConnection(provider.GetRequiredService<IOptions<WorkerOptions>>().Value.DatabaseUrl));
        if (sessionsAhead is not null)
        {
            services.AddSingleton(sessionsAhead);
        }

        services.AddSingleton(provider =>
        {
            var connection = provider.GetRequiredService<NpgsqlConnectionStringBuilder>();
            return sessionsAhead?.DatabaseFor(connection) ?? PostgresDataSource.Create(connection);
        });
        services.AddSingleton<RpcCircuit>();
        services.AddSingleton<IChainClient>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
            var rpcUrl = new Uri(settings.RpcUrl);
            var http = new HttpClient(new RpcHttpHandler()) { BaseAddress = rpcUrl, Timeout = Timeout.InfiniteTimeSpan };
            var pipeline = RpcPipeline.Build(settings, provider.GetRequiredService<RpcCircuit>(), provider.GetRequiredService<ILogger<NethereumChainClient>>());
            var limits = new ChainClientLimits(settings.RpcBatchSize, MaxRpcAnswerBytes, settings.RpcTimeoutMs);
            return new NethereumChainClient(new RpcClient(rpcUrl, http), http, pipeline, limits);
        });
        services.AddSingleton(provider => WorkerInstance.ForThisProcess(provider.GetRequiredService<IOptions<WorkerOptions>>().Value.ChainId));
        services.AddSingleton<StatusStore>();
        services.AddSingleton<WorkerRole>();
        services.AddSingleton<WriterLock>();
        services.AddSingleton<RangeFetcher>();
        services.AddSingleton<ReorgRepair>();
        services.AddSingleton<ChainFollower>();
        services.AddSingleton<ProjectionRebuilder>();
        services.AddSingleton<Preflight>();
        services.AddSingleton<ReplayCompletion>();
        services.AddSingleton<ProofCalculator>();
        services.AddSingleton<ProofStore>();
        services.AddSingleton<ProjectionVerifier>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, OperationsListener>();
        services.AddHostedService<HeartbeatService>();
        services.AddHostedService<IndexerService>();
        services.AddHostedService<ProofService>();
        return services;
    }

    /// <summary>The worker's database settings, from DATABASE_URL.</summary>
    /// <exception cref="InvalidDatabaseUrlException">The value is not a usable PostgreSQL URL.</exception>
    public static NpgsqlConnectionStringBuilder DatabaseConnection(string? databaseUrl)
    {
        var connection = DatabaseUrl.Parse(databaseUrl);
        connection.ApplicationName = "x402-indexer";
        return connection;
    }
}
