using Indexer.Worker.Operations;
using NUnit.Framework;

namespace Indexer.Worker.Tests.Operations;

public sealed class RetryUntilStoppedTests
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Ceiling = TimeSpan.FromMilliseconds(8);

    [Test]
    public async Task ExecuteAsync_RepeatedFailures_PauseTwiceAsLongEachTimeUpToTheCeiling_AndProgressStartsOver()
    {
        var retries = new List<(int Failure, double PauseMs)>();
        var retry = new RetryUntilStopped(First, Ceiling, jitter: 0, retries: e => e is TimeoutException, onRetry: Record(retries));
        var runs = 0;

        await retry.ExecuteAsync(
            _ =>
            {
                runs++;
                if (runs == 6)
                {
                    retry.Progressed();
                }

                return runs < 9 ? throw new TimeoutException($"run {runs}") : ValueTask.CompletedTask;
            },
            CancellationToken.None);

        Assert.That(retries, Is.EqualTo(new[] { (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (1, 1.0), (2, 2.0), (3, 4.0) }));
    }

    [Test]
    public async Task ExecuteAsync_WithJitter_SpreadsEachPauseByAtMostThatShare()
    {
        var retries = new List<(int Failure, double PauseMs)>();
        var retry = new RetryUntilStopped(TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(4), jitter: 0.25, retries: _ => true, onRetry: Record(retries));
        var runs = 0;

        await retry.ExecuteAsync(_ => ++runs < 50 ? throw new TimeoutException() : ValueTask.CompletedTask, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(retries.Select(entry => entry.PauseMs), Has.All.InRange(3.0, 5.0));
            Assert.That(retries.Select(entry => entry.PauseMs).Distinct().Count(), Is.GreaterThan(1), "the pauses differ");
        });
    }

    [Test]
    public void ExecuteAsync_AFailureItDoesNotRetry_EndsTheLoopWithThatFailure()
    {
        var retries = new List<(int Failure, double PauseMs)>();
        var retry = new RetryUntilStopped(First, Ceiling, jitter: 0, retries: e => e is TimeoutException, onRetry: Record(retries));
        var runs = 0;

        var thrown = Assert.ThrowsAsync<InvalidDataException>(async () => await retry.ExecuteAsync(
            _ => ++runs == 1 ? throw new TimeoutException() : throw new InvalidDataException("corrupt"),
            CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(thrown!.Message, Is.EqualTo("corrupt"));
            Assert.That(runs, Is.EqualTo(2));
            Assert.That(retries, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void ExecuteAsync_CancelledWhilePausing_StopsWithoutAnotherRun()
    {
        using var stopping = new CancellationTokenSource();
        var retry = new RetryUntilStopped(
            TimeSpan.FromHours(1),
            TimeSpan.FromHours(1),
            jitter: 0,
            retries: _ => true,
            onRetry: async (_, _, _) => await stopping.CancelAsync());
        var runs = 0;

        Assert.CatchAsync<OperationCanceledException>(async () => await retry.ExecuteAsync(
            _ =>
            {
                runs++;
                throw new TimeoutException();
            },
            stopping.Token));
        Assert.That(runs, Is.EqualTo(1));
    }

    private static Func<Exception, int, TimeSpan, ValueTask> Record(List<(int Failure, double PauseMs)> retries) =>
        (_, failure, pause) =>
        {
            retries.Add((failure, pause.TotalMilliseconds));
            return ValueTask.CompletedTask;
        };
}
