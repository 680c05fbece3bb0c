using NUnit.Framework;
using Query.Api.Caching;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Caching;

public sealed class RecentReadTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(5);

    [Test]
    public async Task Get_WithinMaxAgeOfTheReadsStart_ReusesIt()
    {
        var clock = new ManualClock();
        var reads = 0;
        var recent = new RecentRead<int>(_ => Task.FromResult(++reads), MaxAge, clock, CancellationToken.None);

        var first = await recent.GetAsync(CancellationToken.None);
        clock.Advance(MaxAge);
        var second = await recent.GetAsync(CancellationToken.None);

        Assert.That((first, second, reads), Is.EqualTo((1, 1, 1)));
    }

    [Test]
    public async Task Get_LaterThanMaxAge_ReadsAgain()
    {
        var clock = new ManualClock();
        var reads = 0;
        var recent = new RecentRead<int>(_ => Task.FromResult(++reads), MaxAge, clock, CancellationToken.None);

        await recent.GetAsync(CancellationToken.None);
        clock.Advance(MaxAge + TimeSpan.FromTicks(1));
        var second = await recent.GetAsync(CancellationToken.None);

        Assert.That((second, reads), Is.EqualTo((2, 2)));
    }

    [Test]
    public async Task Get_ZeroMaxAge_ReadsForEveryCallOnceTheClockMoved()
    {
        var clock = new ManualClock();
        var reads = 0;
        var recent = new RecentRead<int>(_ => Task.FromResult(++reads), TimeSpan.Zero, clock, CancellationToken.None);

        for (var call = 0; call < 3; call++)
        {
            await recent.GetAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromTicks(1));
        }

        Assert.That(reads, Is.EqualTo(3));
    }

    [Test]
    public async Task Get_WhileAReadIsUnderWay_JoinsIt()
    {
        var clock = new ManualClock();
        var reads = 0;
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recent = new RecentRead<int>(_ => { reads++; return answer.Task; }, MaxAge, clock, CancellationToken.None);

        var waiting = Enumerable.Range(0, 10).Select(_ => recent.GetAsync(CancellationToken.None)).ToList();
        answer.SetResult(42);

        var values = await Task.WhenAll(waiting);
        Assert.Multiple(() =>
        {
            Assert.That(values, Is.All.EqualTo(42));
            Assert.That(reads, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Get_AfterAFailedRead_ReadsAgainAtOnce()
    {
        var clock = new ManualClock();
        var reads = 0;
        var recent = new RecentRead<int>(
            _ => ++reads == 1 ? Task.FromException<int>(new TimeoutException("database down")) : Task.FromResult(reads),
            MaxAge,
            clock,
            CancellationToken.None);

        Assert.ThrowsAsync<TimeoutException>(() => recent.GetAsync(CancellationToken.None));
        var second = await recent.GetAsync(CancellationToken.None);

        Assert.That(second, Is.EqualTo(2));
    }
}
