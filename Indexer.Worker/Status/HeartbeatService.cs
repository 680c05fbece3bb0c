using Indexer.Worker.Chain;
using Indexer.Worker.Configuration;
using Indexer.Worker.SingleWriter;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Indexer.Worker.Status;

/// <summary>Writes this worker's heartbeat and role (and, for the writer, the RPC circuit state) at a steady interval, so /status can tell live workers from dead ones.</summary>
public sealed class HeartbeatService(
    StatusStore status, WorkerRole role, RpcCircuit circuit, IOptions<WorkerOptions> options, ILogger<HeartbeatService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.HeartbeatIntervalMs));
        var failing = false;
        do
        {
            try
            {
                await status.HeartbeatAsync(role.Name, role.IsWriter, circuit.State, stoppingToken);
                if (failing)
                {
                    logger.LogInformation("Heartbeat written again");
                    failing = false;
                }
            }
            catch (NpgsqlException e)
            {
                // Once per outage: the writer lock's own messages say how it goes meanwhile.
                if (!failing)
                {
                    logger.LogWarning("Heartbeat not written: {Reason}", e.Message);
                    failing = true;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Registered first, so stopped last: by now the writer lock is released, and the row says this worker is gone.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await status.StoppedAsync(cancellationToken);
            logger.LogInformation("Stopped");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            logger.LogWarning("Stopped without marking worker_instance: {Reason}", e.Message);
        }
    }
}
