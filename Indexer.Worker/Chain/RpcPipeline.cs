using Indexer.Worker.Configuration;
using Indexer.Worker.Operations;
using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Indexer.Worker.Chain;

/// <summary>
/// The Polly pipeline around every RPC call: retry (exponential backoff with jitter, honouring
/// Retry-After) around a circuit breaker around a per-attempt timeout.
/// </summary>
public static class RpcPipeline
{
    /// <summary>
    /// Set on a call whose request can be made smaller (an eth_getLogs range of more than one block):
    /// its timeout is not retried at the same size but handed back to be split.
    /// </summary>
    public static readonly ResiliencePropertyKey<bool> Splittable = new("x402.splittable");

    public static ResiliencePipeline Build(WorkerOptions options, RpcCircuit circuit, ILogger logger)
    {
        var pipeline = new ResiliencePipelineBuilder();
        // RPC_MAX_RETRIES=0 hands every failure straight to the caller; Polly's retry takes one retry at least.
        if (options.RpcMaxRetries > 0)
        {
            pipeline.AddRetry(Retry(options.RpcMaxRetries, logger));
        }

        return pipeline
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                FailureRatio = 0.8,
                MinimumThroughput = 8,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(5),
                OnOpened = arguments =>
                {
                    circuit.Opened();
                    logger.LogError("RPC circuit breaker opened for {BreakMs} ms after repeated failures", (long)arguments.BreakDuration.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    circuit.HalfOpened();
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    circuit.Closed();
                    logger.LogInformation("RPC circuit breaker closed: the node answers again");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromMilliseconds(options.RpcTimeoutMs))
            .Build();
    }

    private static RetryStrategyOptions Retry(int maxRetries, ILogger logger) => new()
    {
        ShouldHandle = arguments => ValueTask.FromResult(
            arguments.Outcome.Exception is { } failure && IsTransient(failure)
            && !(failure is TimeoutRejectedException && arguments.Context.Properties.GetValue(Splittable, false))),
        MaxRetryAttempts = maxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromSeconds(30),
        DelayGenerator = arguments => ValueTask.FromResult(RetryAfter(arguments.Outcome.Exception)),
        OnRetry = arguments =>
        {
            IndexerMetrics.RpcRetry();
            logger.LogWarning(
                "RPC call failed ({Reason}); retry {Attempt} in {DelayMs} ms",
                Describe(arguments.Outcome.Exception),
                arguments.AttemptNumber + 1,
                (long)arguments.RetryDelay.TotalMilliseconds);
            return ValueTask.CompletedTask;
        },
    };

    private static bool IsTransient(Exception exception) => exception switch
    {
        RangeTooLargeException or RpcAnswerTooLargeException => false,
        OperationCanceledException => false,
        RpcResponseException response => !RpcErrors.IsRangeTooLarge(response),
        _ => true,
    };

    /// <returns>The server's Retry-After when it gave one; null lets Polly compute the backoff.</returns>
    private static TimeSpan? RetryAfter(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RpcHttpException { RetryAfter: { } delay } && delay > TimeSpan.Zero)
            {
                return delay < TimeSpan.FromMinutes(5) ? delay : TimeSpan.FromMinutes(5);
            }
        }

        return null;
    }

    /// <summary>One line saying what went wrong: the most telling exception in the chain, with its cause.</summary>
    internal static string Describe(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BrokenCircuitException)
            {
                return "the RPC circuit breaker is open";
            }
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RpcHttpException or RpcResponseException or TimeoutRejectedException or HttpRequestException or ChainDataException)
            {
                return current.InnerException is { } cause && cause.Message != current.Message
                    ? $"{current.Message} ({cause.GetBaseException().Message})"
                    : current.Message;
            }
        }

        return exception?.GetBaseException().Message ?? "unknown";
    }
}

/// <summary>The breaker's state, for the status row and /status.</summary>
public sealed class RpcCircuit
{
    private volatile string state = "closed";

    public string State => state;

    internal void Opened()
    {
        state = "open";
        IndexerMetrics.Circuit(2);
    }

    internal void HalfOpened()
    {
        state = "half-open";
        IndexerMetrics.Circuit(1);
    }

    internal void Closed()
    {
        state = "closed";
        IndexerMetrics.Circuit(0);
    }
}
