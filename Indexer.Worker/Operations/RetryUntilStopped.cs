using Polly;
using Polly.Retry;

namespace Indexer.Worker.Operations;

/// <summary>
/// The Polly retry around a loop that runs until the process stops (holding the writer's place, following the chain):
/// each failure is retried after a pause that doubles from <c>first</c> up to <c>ceiling</c>, and progress since the
/// last failure brings the pause back to <c>first</c>. Polly counts attempts per call and such a call never ends,
/// so the loop reports its progress (<see cref="Progressed"/>) and the pause follows the failures since then.
/// </summary>
public sealed class RetryUntilStopped
{
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _first;
    private readonly TimeSpan _ceiling;
    private readonly double _jitter;
    private int _failuresSinceProgress;

    /// <param name="jitter">Each pause is spread by up to this share either way (0 to 1), so workers that failed together do not retry together.</param>
    /// <param name="retries">Which failures are retried; any other ends the loop.</param>
    /// <param name="onRetry">Called with the failure, its number since the last progress, and the pause before the retry.</param>
    public RetryUntilStopped(
        TimeSpan first, TimeSpan ceiling, double jitter, Func<Exception, bool> retries, Func<Exception, int, TimeSpan, ValueTask> onRetry)
    {
        (_first, _ceiling, _jitter) = (first, ceiling, jitter);
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle(retries),
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = _ => ValueTask.FromResult<TimeSpan?>(NextPause()),
                OnRetry = arguments => onRetry(arguments.Outcome.Exception!, _failuresSinceProgress, arguments.RetryDelay),
            })
            .Build();
    }

    /// <summary>Runs <paramref name="loop"/>, and again after each failure it retries, until it returns or fails otherwise.</summary>
    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> loop, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(loop, cancellationToken);

    /// <summary>The loop got somewhere: the next failure pauses it for <c>first</c> again.</summary>
    public void Progressed() => _failuresSinceProgress = 0;

    private TimeSpan NextPause()
    {
        var doublings = Math.Min(_failuresSinceProgress++, 30);
        var pause = Math.Min(_ceiling.TotalMilliseconds, _first.TotalMilliseconds * Math.Pow(2, doublings));
        return TimeSpan.FromMilliseconds(pause * (1 - _jitter + (Random.Shared.NextDouble() * 2 * _jitter)));
    }
}
