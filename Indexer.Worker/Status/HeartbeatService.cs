using Indexer.Worker.Chain;
using Indexer.Worker.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Indexer.Worker.Status;

/// <summary>Writes a heartbeat (and the RPC circuit state) at a steady interval, so /status can tell a live worker from a dead one.</summary>
public sealed class HeartbeatService(StatusStore status, RpcCircuit circuit, IOptions<WorkerOptions> options, ILogger<HeartbeatService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.HeartbeatIntervalMs));
        do
        {
            try
            {
                await status.HeartbeatAsync(circuit.State, stoppingToken);
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning("Heartbeat not written: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
