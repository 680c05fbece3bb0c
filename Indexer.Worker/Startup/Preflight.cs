using Indexer.Worker.Chain;
using Indexer.Worker.Configuration;
using Indexer.Worker.EventLog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migrations.Schema;
using Npgsql;
using Polly;
using Polly.Retry;
using ServiceDefaults.Startup;

namespace Indexer.Worker.Startup;

/// <summary>
/// What must hold before the worker touches anything: the schema is current, the node is the
/// configured chain, and the database indexes this very contract (or nothing yet).
/// </summary>
public sealed class Preflight(
    NpgsqlDataSource database,
    IChainClient chain,
    IOptions<WorkerOptions> options,
    ILogger<Preflight> logger,
    SessionsAhead? sessionsAhead = null)
{
    /// <summary>
    /// <see cref="CheckAsync"/> for a worker about to ingest, repeated with growing pauses while the node
    /// or the database cannot be reached; a configuration that is wrong stops it at once.
    /// </summary>
    /// <exception cref="PendingMigrationsException">The schema is behind.</exception>
    /// <exception cref="PreflightException">The node or the database is not the one configured.</exception>
    public Task<Checkpoint> CheckUntilReadyAsync(CancellationToken cancellationToken)
    {
        // 1, 2, 4, then every 5 s: the checks are cheap, and a standby that starts late is no standby.
        var untilReady = new ResiliencePipelineBuilder<Checkpoint>()
            .AddRetry(new RetryStrategyOptions<Checkpoint>
            {
                ShouldHandle = new PredicateBuilder<Checkpoint>().Handle<Exception>(
                    e => e is not (PreflightException or PendingMigrationsException or OperationCanceledException)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(5),
                UseJitter = false,
                OnRetry = arguments =>
                {
                    logger.LogWarning(
                        "Not ready to start (attempt {Attempt}): {Reason}. Retrying in {PauseMs} ms",
                        arguments.AttemptNumber + 1, RpcPipeline.Describe(arguments.Outcome.Exception), (long)arguments.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        return untilReady.ExecuteAsync(async token => await CheckAsync(forIngestion: true, token), cancellationToken).AsTask();
    }

    /// <param name="forIngestion">Also check the node and create the checkpoint; a replay needs neither.</param>
    /// <exception cref="PendingMigrationsException">The schema is behind.</exception>
    /// <exception cref="PreflightException">The node or the database is not the one configured.</exception>
    public async Task<Checkpoint> CheckAsync(bool forIngestion, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The node answers while the database connects; the checkpoint is read once the schema is known to be current.
        // On the thread pool: Nethereum's first typed request runs Newtonsoft.Json's reflection before it sends
        // anything (in perf, 13 % of the worker's CPU before its first connection), and held back the connection.
        // The sparse benchmark chain's catch-up, with the trimming of Indexer.Worker.csproj: median 1,225 ms
        // against 1,272 over six alternating runs.
        var chainChecked = forIngestion
            ? Task.Run(() => CheckChainAsync(settings.ChainId, cancellationToken), cancellationToken)
            : Task.CompletedTask;
        // Ingestion holds two pooled sessions from its first range on (the startup proof's snapshot, the status writes):
        // the second opens here, beside the first, instead of on the way to the first commit (20-40 ms here).
        var spare = forIngestion ? database.OpenConnectionAsync(cancellationToken).AsTask() : null;
        Checkpoint? checkpoint;
        try
        {
            await using var session = await OpenSessionAsync(cancellationToken);
            SchemaMigrator.EnsureUpToDate(session);
            await chainChecked;
            checkpoint = forIngestion
                ? await CheckpointStore.GetOrCreateAsync(session, settings.ChainId, settings.NormalizedContractAddress, settings.BlockStart)
                : await CheckpointStore.GetAsync(session);
        }
        finally
        {
            // Disposing a pooled connection gives it back to the pool, open.
            await OpenedAhead.DisposeAsync(spare);
        }

        if (checkpoint is null)
        {
            return new Checkpoint(settings.ChainId, settings.NormalizedContractAddress, settings.BlockStart, settings.BlockStart - 1, null, 0);
        }

        if (checkpoint.ChainId != settings.ChainId || checkpoint.ContractAddress != settings.NormalizedContractAddress)
        {
            throw new PreflightException(
                $"This database indexes contract {checkpoint.ContractAddress} on chain {checkpoint.ChainId}, not CONTRACT_ADDRESS " +
                $"{settings.NormalizedContractAddress} on CHAIN_ID {settings.ChainId}; use a separate database per contract.");
        }

        if (settings.BlockStart != checkpoint.StartBlock)
        {
            logger.LogWarning(
                "BLOCK_START is {BlockStart} but this database was started at block {StartBlock}; resuming from block {Next}",
                settings.BlockStart, checkpoint.StartBlock, checkpoint.LastBlock + 1);
        }

        return checkpoint;
    }

    // The session opened while the host was built, on the first check; a new one from the pool otherwise.
    private async Task<NpgsqlConnection> OpenSessionAsync(CancellationToken cancellationToken) =>
        sessionsAhead?.TakePreflightSession(database) is { } openedAhead
            ? await openedAhead.WaitAsync(cancellationToken)
            : await database.OpenConnectionAsync(cancellationToken);

    private async Task CheckChainAsync(long chainId, CancellationToken cancellationToken)
    {
        var nodeChainId = await chain.GetChainIdAsync(cancellationToken);
        if (nodeChainId != chainId)
        {
            throw new PreflightException(
                $"CHAIN_ID is {chainId} but the node at RPC_URL reports chain {nodeChainId}; refusing to index the wrong chain.");
        }
    }
}

public sealed class PreflightException(string message) : StartupRefusedException(message);
