using Migrations.Notifications;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Query.Api.Streaming;

/// <summary>
/// Holds the API's one <c>LISTEN</c> connection (outside the pool) and wakes the feed on every
/// notification the worker sends with its commits, and after every (re)connection, since notifications
/// sent while it was away are lost: the feed then catches up from the log. A lost connection is reopened
/// with growing, jittered pauses; meanwhile streams get only keep-alives.
/// A read replica cannot LISTEN (PostgreSQL refuses it during recovery, and the worker's notifications
/// are sent on the primary only), so there the feed is woken every <c>STREAM_POLL_INTERVAL_MS</c> instead.
/// </summary>
public sealed class ChangeListener(NpgsqlConnectionStringBuilder pooled, StreamSettings settings, ILogger<ChangeListener> logger)
{
    private const string IsReplica = "SELECT pg_is_in_recovery()";

    private static readonly string Listen = $"LISTEN {ChangeNotice.Channel}";

    /// <param name="wake">Called with the notice, or null after a (re)connection or a poll.</param>
    public async Task RunAsync(Action<ChangeNotice?> wake, CancellationToken stopping)
    {
        var reconnect = Reconnecting(logger);
        while (!stopping.IsCancellationRequested)
        {
            await using var connection = await reconnect.ExecuteAsync(ConnectAsync, stopping);
            if (connection is null)
            {
                await PollAsync(wake, stopping);
                return;
            }

            connection.Notification += (_, notification) => wake(ChangeNotice.TryParse(notification.Payload));
            logger.LogInformation("Listening for the worker's commits on channel {Channel}", ChangeNotice.Channel);
            wake(null);
            try
            {
                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && e is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogWarning("Lost the LISTEN connection ({Reason}); streams get keep-alives until it is back", e.Message);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <returns>The listening connection, or null on a read replica.</returns>
    private async ValueTask<NpgsqlConnection?> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ListenerConnectionString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var check = new NpgsqlCommand(IsReplica, connection))
            {
                if ((bool)(await check.ExecuteScalarAsync(cancellationToken))!)
                {
                    await connection.DisposeAsync();
                    return null;
                }
            }

            await using (var listen = new NpgsqlCommand(Listen, connection))
            {
                await listen.ExecuteNonQueryAsync(cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task PollAsync(Action<ChangeNotice?> wake, CancellationToken stopping)
    {
        logger.LogInformation(
            "The database is a read replica, which cannot LISTEN: streams follow the checkpoint every {PollMs} ms instead",
            (long)settings.PollInterval.TotalMilliseconds);
        using var timer = new PeriodicTimer(settings.PollInterval);
        try
        {
            do
            {
                wake(null);
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private string ListenerConnectionString()
    {
        var listener = new NpgsqlConnectionStringBuilder(pooled.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "x402-query-api-listen",
            // While waiting, a keep-alive query every few seconds notices a server that went away.
            KeepAlive = 5,
        };
        return listener.ConnectionString;
    }

    /// <summary>Retries forever (until shutdown): 200 ms doubling to 5 s, jittered.</summary>
    internal static ResiliencePipeline Reconnecting(ILogger logger) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>().Handle<IOException>().Handle<TimeoutException>(),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
            OnRetry = retry =>
            {
                logger.LogWarning(
                    "Database unavailable for the live streams ({Reason}); retry {Attempt} in {DelayMs} ms",
                    retry.Outcome.Exception?.Message, retry.AttemptNumber + 1, (long)retry.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        })
        .Build();
}
