using Microsoft.Extensions.Configuration;

namespace Indexer.Worker.Configuration;

/// <summary>The worker's settings, bound from environment variables (or .env) under the seed's names.</summary>
public sealed class WorkerOptions
{
    [ConfigurationKeyName("RPC_URL")]
    public string RpcUrl { get; set; } = string.Empty;

    [ConfigurationKeyName("CHAIN_ID")]
    public long ChainId { get; set; }

    [ConfigurationKeyName("CONTRACT_ADDRESS")]
    public string ContractAddress { get; set; } = string.Empty;

    [ConfigurationKeyName("BLOCK_START")]
    public long BlockStart { get; set; }

    [ConfigurationKeyName("DATABASE_URL")]
    public string DatabaseUrl { get; set; } = string.Empty;

    [ConfigurationKeyName("CONFIRMATION_BLOCKS")]
    public int ConfirmationBlocks { get; set; } = 3;

    [ConfigurationKeyName("MAX_BLOCK_RANGE")]
    public int MaxBlockRange { get; set; } = 2000;

    [ConfigurationKeyName("POLL_INTERVAL_MS")]
    public int PollIntervalMs { get; set; } = 2000;

    /// <summary>The number of logs an eth_getLogs request aims at; ranges are sized to the chain's density to get there.</summary>
    [ConfigurationKeyName("MAX_LOGS_PER_REQUEST")]
    public int MaxLogsPerRequest { get; set; } = 5_000;

    /// <summary>How many ranges are fetched at once, ahead of the one being committed.</summary>
    [ConfigurationKeyName("RPC_CONCURRENCY")]
    public int RpcConcurrency { get; set; } = 4;

    [ConfigurationKeyName("RPC_TIMEOUT_MS")]
    public int RpcTimeoutMs { get; set; } = 10_000;

    [ConfigurationKeyName("RPC_BATCH_SIZE")]
    public int RpcBatchSize { get; set; } = 200;

    [ConfigurationKeyName("RPC_MAX_RETRIES")]
    public int RpcMaxRetries { get; set; } = 6;

    /// <summary>How often a standby tries to take the writer lock; bounds the takeover time after a writer dies.</summary>
    [ConfigurationKeyName("WRITER_LOCK_POLL_MS")]
    public int WriterLockPollMs { get; set; } = 1000;

    /// <summary>How long a stop (SIGTERM) may take: the commit in progress commits or rolls back, the writer lock is released.</summary>
    [ConfigurationKeyName("SHUTDOWN_TIMEOUT_MS")]
    public int ShutdownTimeoutMs { get; set; } = 10_000;

    [ConfigurationKeyName("PROGRESS_LOG_INTERVAL_MS")]
    public int ProgressLogIntervalMs { get; set; } = 10_000;

    [ConfigurationKeyName("HEARTBEAT_INTERVAL_MS")]
    public int HeartbeatIntervalMs { get; set; } = 5_000;

    /// <summary>How often the writer recomputes the determinism proof (both hashes) after its startup replay.</summary>
    [ConfigurationKeyName("PROOF_INTERVAL_MS")]
    public int ProofIntervalMs { get; set; } = 60_000;

    /// <summary>Where the worker serves /metrics and its probes: an IP address or localhost.</summary>
    [ConfigurationKeyName("METRICS_HOST")]
    public string MetricsHost { get; set; } = "127.0.0.1";

    [ConfigurationKeyName("METRICS_PORT")]
    public int MetricsPort { get; set; } = 9464;

    /// <summary>Lowercase, as stored in the event log.</summary>
    public string NormalizedContractAddress => ContractAddress.Trim().ToLowerInvariant();
}
