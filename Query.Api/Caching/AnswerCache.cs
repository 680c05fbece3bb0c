using System.Collections.Concurrent;

namespace Query.Api.Caching;

/// <summary>
/// Serialized answers kept per <see cref="DataVersion"/>, least recently used first out, in at most
/// <see cref="CacheSettings.CapacityBytes"/> (bodies and tags plus a fixed charge per entry). Answers of older
/// versions are never looked up again and so are the first to go. Concurrent requests for one missing
/// answer share one database read. An answer read under <see cref="Admission.SecondRead"/> is kept only
/// when its request is read a second time.
/// </summary>
public sealed class AnswerCache(CacheSettings settings)
{
    /// <summary>What an entry costs beyond its body: the key, the list node and the dictionary slot.</summary>
    public const int EntryOverheadBytes = 256;

    // One answer may take at most this share of the cache, so one huge timeline cannot flush the rest.
    private const int LargestShare = 8;

    // Requests read once under Admission.SecondRead, as hashes of their keys in a fixed table: remembering
    // allocates nothing. Two keys sharing a slot only make one of them be kept a read later (or earlier).
    private const int ReadOnceSlots = 1 << 16;

    private readonly Lock _gate = new();
    private readonly Dictionary<AnswerKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _leastRecentFirst = new();
    private readonly ConcurrentDictionary<AnswerKey, Lazy<Task<CachedAnswer>>> _reading = new();
    private readonly int[] _readOnce = new int[ReadOnceSlots];
    private long _sizeBytes;

    public long CapacityBytes => settings.CapacityBytes;

    public long SizeBytes
    {
        get
        {
            lock (_gate)
            {
                return _sizeBytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <param name="read">Reads the answer from the database; it runs on behalf of every waiting request, so it gets the application's token (cancelled once the server has stopped, after in-flight requests drained), not one request's.</param>
    /// <param name="admission">When an answer read is kept.</param>
    public Task<CachedAnswer> GetOrReadAsync(
        AnswerKey key,
        Func<CancellationToken, Task<CachedAnswer>> read,
        Admission admission,
        CancellationToken stopping,
        CancellationToken cancellationToken)
    {
        if (TryGet(key, out var answer))
        {
            return Task.FromResult(answer);
        }

        var shared = _reading.GetOrAdd(
            key, missing => new Lazy<Task<CachedAnswer>>(() => ReadAndKeepAsync(missing, read, admission, stopping)));
        return shared.Value.WaitAsync(cancellationToken);
    }

    public bool TryGet(AnswerKey key, out CachedAnswer answer)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _leastRecentFirst.Remove(node);
                _leastRecentFirst.AddLast(node);
                answer = node.Value.Answer;
                return true;
            }
        }

        answer = CachedAnswer.Missing;
        return false;
    }

    public void Keep(AnswerKey key, CachedAnswer answer)
    {
        var cost = CostOf(key, answer);
        if (cost > settings.CapacityBytes / LargestShare)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                Drop(existing);
            }

            while (_sizeBytes + cost > settings.CapacityBytes && _leastRecentFirst.First is { } oldest)
            {
                Drop(oldest);
            }

            _entries[key] = _leastRecentFirst.AddLast(new Entry(key, answer, cost));
            _sizeBytes += cost;
        }
    }

    private async Task<CachedAnswer> ReadAndKeepAsync(
        AnswerKey key, Func<CancellationToken, Task<CachedAnswer>> read, Admission admission, CancellationToken stopping)
    {
        try
        {
            var answer = await read(stopping);
            if (admission == Admission.FirstRead || WasReadBefore(key))
            {
                Keep(key, answer);
            }

            return answer;
        }
        finally
        {
            _reading.TryRemove(key, out _);
        }
    }

    /// <summary>Whether <paramref name="key"/> was read before under <see cref="Admission.SecondRead"/>; remembers that it now was.</summary>
    private bool WasReadBefore(AnswerKey key)
    {
        var hash = key.GetHashCode();
        return Interlocked.Exchange(ref _readOnce[(uint)hash % ReadOnceSlots], hash) == hash;
    }

    private void Drop(LinkedListNode<Entry> node)
    {
        _leastRecentFirst.Remove(node);
        _entries.Remove(node.Value.Key);
        _sizeBytes -= node.Value.Cost;
    }

    private static long CostOf(AnswerKey key, CachedAnswer answer) =>
        answer.Body.Length + (2L * (key.Request.Length + answer.StrongTag.Length + answer.WeakTag.Length)) + EntryOverheadBytes;

    private sealed record Entry(AnswerKey Key, CachedAnswer Answer, long Cost);
}

/// <summary>When <see cref="AnswerCache"/> keeps an answer it read.</summary>
public enum Admission
{
    /// <summary>At once: answers that many requests share (lists, counts, status).</summary>
    FirstRead,

    /// <summary>
    /// When the same request is read again within its version: answers of a key space far larger than the
    /// cache (one workflow among hundreds of thousands), so a walk through all of them neither flushes the
    /// answers clients do repeat nor fills the heap with answers nobody asks for twice.
    /// </summary>
    SecondRead,
}

/// <summary>One answer of one data version: <paramref name="Request"/> names the endpoint and its (normalized) parameters.</summary>
public readonly record struct AnswerKey(DataVersion Version, string Request);
