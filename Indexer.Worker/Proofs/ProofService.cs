using Indexer.Worker.Configuration;
using Indexer.Worker.EventLog;
using Indexer.Worker.Operations;
using Indexer.Worker.Replay;
using Indexer.Worker.SingleWriter;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Indexer.Worker.Proofs;

/// <summary>
/// Computes and stores the determinism proof once this process's startup replay is done, then every
/// PROOF_INTERVAL_MS while this process is the writer: standbys never write, and a standby that
/// takes over starts proving after its own replay.
/// </summary>
public sealed class ProofService(
    ProofCalculator calculator,
    ProofStore store,
    ReplayCompletion replay,
    WorkerRole role,
    IOptions<WorkerOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ProofService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Before replay the projection is about to be replaced: proving it would prove nothing.
            await replay.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ProofIntervalMs));
            DeterminismProof? previous = null;
            do
            {
                if (role.LockSessionPid is { } lockSessionPid)
                {
                    previous = await ProveAsync(previous, lockSessionPid, stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The log or the projection is unreadable (not a passing database failure): replay would fail too.
            logger.LogCritical(e, "The determinism proof cannot be computed");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task<DeterminismProof?> ProveAsync(DeterminismProof? previous, int lockSessionPid, CancellationToken stoppingToken)
    {
        try
        {
            var proof = await calculator.ComputeAsync(stoppingToken);
            if (!await store.SaveAsync(proof, lockSessionPid, stoppingToken))
            {
                logger.LogWarning("Determinism proof not stored: this worker's session no longer holds the writer lock");
                return previous;
            }

            IndexerMetrics.ProofStored();

            // An idle chain gives the same proof every interval; log only what changed.
            var level = previous is not null && previous with { Elapsed = proof.Elapsed } == proof ? LogLevel.Debug : LogLevel.Information;
            logger.Log(
                level,
                "Determinism proof at block {CoveredBlock}: {Events} events, event log {EventLogHash}; {Workflows} workflows, projection {ProjectionHash} ({Milliseconds:F0} ms)",
                proof.CoveredBlock, proof.EventCount, proof.EventLogHash, proof.WorkflowCount, proof.ProjectionHash, proof.Elapsed.TotalMilliseconds);
            return proof;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested && !CorruptData.Is(e))
        {
            logger.LogWarning("Determinism proof not computed: {Reason}. Retrying in the next interval", e.Message);
            return previous;
        }
    }
}
