using System.Text;
using NUnit.Framework;
using Query.Api.Caching;

namespace Query.Api.Tests.Caching;

public sealed class AnswerCacheTests
{
    private const long Capacity = 64 * 1024;

    private static readonly DataVersion Version = new(CheckpointRowVersion: 1, ProjectionFile: 2, ReplayFinishedAt: null);

    [Test]
    public void Keep_FarMoreThanTheCapacity_StaysWithinItAndKeepsTheMostRecentlyUsed()
    {
        var cache = new AnswerCache(new CacheSettings(Capacity, TimeSpan.Zero));
        var answer = new CachedAnswer(new byte[1000]);
        var first = Key("/workflows/first");
        cache.Keep(first, answer);

        for (var i = 0; i < 10_000; i++)
        {
            cache.Keep(Key($"/workflows/{i}"), answer);
            cache.TryGet(first, out _);
            Assert.That(cache.SizeBytes, Is.LessThanOrEqualTo(Capacity));
        }

        Assert.Multiple(() =>
        {
            Assert.That(cache.Count, Is.LessThan(Capacity / answer.Body.Length));
            Assert.That(cache.TryGet(first, out _), Is.True, "used after every insertion, so never the least recently used");
            Assert.That(cache.TryGet(Key("/workflows/9999"), out _), Is.True, "the newest");
            Assert.That(cache.TryGet(Key("/workflows/0"), out _), Is.False, "the oldest untouched one went first");
        });
    }

    [Test]
    public void Keep_AnswerLargerThanItsShareOfTheCapacity_IsNotKept()
    {
        var cache = new AnswerCache(new CacheSettings(Capacity, TimeSpan.Zero));
        cache.Keep(Key("/small"), new CachedAnswer(new byte[100]));

        cache.Keep(Key("/huge"), new CachedAnswer(new byte[Capacity / 4]));

        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGet(Key("/huge"), out _), Is.False);
            Assert.That(cache.TryGet(Key("/small"), out _), Is.True, "nothing was evicted to make room");
        });
    }

    [Test]
    public void Keep_ZeroCapacity_KeepsNothing()
    {
        var cache = new AnswerCache(new CacheSettings(0, TimeSpan.Zero));

        cache.Keep(Key("/stats"), Answer("{}"));

        Assert.That((cache.Count, cache.SizeBytes), Is.EqualTo((0, 0L)));
    }

    [Test]
    public void TryGet_SameRequestOfAnotherVersion_Misses()
    {
        var cache = new AnswerCache(new CacheSettings(Capacity, TimeSpan.Zero));
        cache.Keep(Key("/stats"), Answer("{}"));

        var replayed = Version with { ProjectionFile = 3 };

        Assert.That(cache.TryGet(new AnswerKey(replayed, "/stats"), out _), Is.False);
    }

    [Test]
    public async Task GetOrRead_ConcurrentMissesOfOneAnswer_ReadItOnceAndKeepIt()
    {
        var cache = new AnswerCache(new CacheSettings(Capacity, TimeSpan.Zero));
        var reads = 0;
        var reading = new TaskCompletionSource<CachedAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);

        var waiting = Enumerable.Range(0, 10)
            .Select(_ => cache.GetOrReadAsync(Key("/stats"), _ => { Interlocked.Increment(ref reads); return reading.Task; }, Admission.FirstRead, CancellationToken.None, CancellationToken.None))
            .ToList();
        reading.SetResult(Answer("{}"));
        var answers = await Task.WhenAll(waiting);

        Assert.Multiple(() =>
        {
            Assert.That(reads, Is.EqualTo(1));
            Assert.That(answers.Select(read => Encoding.UTF8.GetString(read.Body)), Is.All.EqualTo("{}"));
            Assert.That(cache.TryGet(Key("/stats"), out _), Is.True);
        });
    }

    [Test]
    public async Task GetOrRead_FailedRead_IsNotKeptAndTheNextRequestReadsAgain()
    {
        var cache = new AnswerCache(new CacheSettings(Capacity, TimeSpan.Zero));

        Assert.ThrowsAsync<TimeoutException>(() => cache.GetOrReadAsync(
            Key("/stats"), _ => Task.FromException<CachedAnswer>(new TimeoutException("database down")), Admission.FirstRead, CancellationToken.None, CancellationToken.None));
        var countAfterFailure = cache.Count;
        var read = await cache.GetOrReadAsync(Key("/stats"), _ => Task.FromResult(Answer("{}")), Admission.FirstRead, CancellationToken.None, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(countAfterFailure, Is.Zero);
            Assert.That(Encoding.UTF8.GetString(read.Body), Is.EqualTo("{}"));
        });
    }

    [Test]
    public async Task GetOrRead_SecondReadAdmission_KeepsTheAnswerFromItsSecondReadOn()
    {
        var cache = new AnswerCache(new CacheSettings(Capacity, TimeSpan.Zero));
        var reads = 0;
        Task<CachedAnswer> Read(CancellationToken _)
        {
            reads++;
            return Task.FromResult(Answer("{}"));
        }

        await cache.GetOrReadAsync(Key("/workflows/0x01"), Read, Admission.SecondRead, CancellationToken.None, CancellationToken.None);
        var keptAfterOneRead = cache.TryGet(Key("/workflows/0x01"), out _);
        await cache.GetOrReadAsync(Key("/workflows/0x01"), Read, Admission.SecondRead, CancellationToken.None, CancellationToken.None);
        await cache.GetOrReadAsync(Key("/workflows/0x01"), Read, Admission.SecondRead, CancellationToken.None, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(keptAfterOneRead, Is.False);
            Assert.That(reads, Is.EqualTo(2), "the third request is answered from the cache");
            Assert.That(cache.TryGet(Key("/workflows/0x01"), out _), Is.True);
        });
    }

    [Test]
    public async Task GetOrRead_SecondReadAdmission_ManyRequestsReadOnce_KeepNothingAndLeaveTheKeptAnswers()
    {
        var cache = new AnswerCache(new CacheSettings(Capacity, TimeSpan.Zero));
        cache.Keep(Key("/stats"), Answer("{}"));

        for (var i = 0; i < 10_000; i++)
        {
            await cache.GetOrReadAsync(
                Key($"/workflows/{i}"), _ => Task.FromResult(Answer("{}")), Admission.SecondRead, CancellationToken.None, CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(cache.Count, Is.LessThan(10), "only a key whose hash another key read before has could be kept");
            Assert.That(cache.TryGet(Key("/stats"), out _), Is.True);
        });
    }

    [Test]
    public async Task GetOrRead_SecondReadOfAnotherVersion_IsAFirstReadAgain()
    {
        var cache = new AnswerCache(new CacheSettings(Capacity, TimeSpan.Zero));
        var next = new AnswerKey(Version with { CheckpointRowVersion = Version.CheckpointRowVersion + 1 }, "/workflows/0x01");

        await cache.GetOrReadAsync(Key("/workflows/0x01"), _ => Task.FromResult(Answer("{}")), Admission.SecondRead, CancellationToken.None, CancellationToken.None);
        await cache.GetOrReadAsync(next, _ => Task.FromResult(Answer("{}")), Admission.SecondRead, CancellationToken.None, CancellationToken.None);

        Assert.That(cache.TryGet(next, out _), Is.False);
    }

    private static AnswerKey Key(string request) => new(Version, request);

    private static CachedAnswer Answer(string json) => new(Encoding.UTF8.GetBytes(json));
}
