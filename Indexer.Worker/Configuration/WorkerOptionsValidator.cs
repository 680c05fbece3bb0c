using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ServiceDefaults.Configuration;

namespace Indexer.Worker.Configuration;

/// <summary>Checks every setting at start; each failure names its variable and never echoes a secret.</summary>
public sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var failures = new List<string>();

        if (!Uri.TryCreate(options.RpcUrl, UriKind.Absolute, out var rpc) || rpc.Scheme is not ("http" or "https"))
        {
            failures.Add("RPC_URL must be an absolute http(s) URL, e.g. http://127.0.0.1:8545");
        }

        if (options.ChainId <= 0)
        {
            failures.Add("CHAIN_ID must be a positive integer (e.g. 338 for Cronos testnet, 31337 for anvil)");
        }

        if (!AddressPattern().IsMatch(options.ContractAddress.Trim()))
        {
            failures.Add("CONTRACT_ADDRESS must be 0x followed by 40 hex digits");
        }

        if (options.MetricsPort is < 1 or > 65535)
        {
            failures.Add("METRICS_PORT must be between 1 and 65535");
        }

        if (options.MetricsHost != "localhost" && !System.Net.IPAddress.TryParse(options.MetricsHost, out _))
        {
            failures.Add("METRICS_HOST must be an IP address (e.g. 127.0.0.1 or 0.0.0.0) or localhost");
        }

        if (options.BlockStart < 0)
        {
            failures.Add("BLOCK_START must be 0 or more");
        }

        try
        {
            DatabaseUrl.Parse(options.DatabaseUrl);
        }
        catch (InvalidDatabaseUrlException e)
        {
            failures.Add(e.Message.TrimEnd('.'));
        }

        AddIfOutside(failures, "CONFIRMATION_BLOCKS", options.ConfirmationBlocks, 0, 10_000);
        AddIfOutside(failures, "MAX_BLOCK_RANGE", options.MaxBlockRange, 1, 1_000_000);
        AddIfOutside(failures, "MAX_LOGS_PER_REQUEST", options.MaxLogsPerRequest, 1, 1_000_000);
        AddIfOutside(failures, "RPC_CONCURRENCY", options.RpcConcurrency, 1, 64);
        AddIfOutside(failures, "POLL_INTERVAL_MS", options.PollIntervalMs, 10, 3_600_000);
        AddIfOutside(failures, "RPC_TIMEOUT_MS", options.RpcTimeoutMs, 100, 600_000);
        AddIfOutside(failures, "RPC_BATCH_SIZE", options.RpcBatchSize, 1, 10_000);
        AddIfOutside(failures, "RPC_MAX_RETRIES", options.RpcMaxRetries, 0, 100);
        AddIfOutside(failures, "WRITER_LOCK_POLL_MS", options.WriterLockPollMs, 10, 60_000);
        AddIfOutside(failures, "PROGRESS_LOG_INTERVAL_MS", options.ProgressLogIntervalMs, 100, 3_600_000);
        AddIfOutside(failures, "HEARTBEAT_INTERVAL_MS", options.HeartbeatIntervalMs, 100, 3_600_000);
        AddIfOutside(failures, "SHUTDOWN_TIMEOUT_MS", options.ShutdownTimeoutMs, 100, 600_000);
        AddIfOutside(failures, "PROOF_INTERVAL_MS", options.ProofIntervalMs, 100, 86_400_000);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddIfOutside(List<string> failures, string variable, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{variable} must be between {min} and {max}");
        }
    }

    [GeneratedRegex(@"^0x[0-9a-fA-F]{40}\z")]
    private static partial Regex AddressPattern();
}
