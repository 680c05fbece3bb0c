using System.Threading.Channels;
using Migrations.Notifications;
using Polly;
using Query.Api.Status;

namespace Query.Api.Streaming;

/// <summary>
/// The one reader of changes behind every stream. Woken by the <see cref="ChangeListener"/> (the worker's
/// NOTIFY, a reconnection, or a poll), it reads what changed after its cursor from the log once, in short
/// queries, and hands the same encoded frames to every subscribed stream's bounded queue: reorg repairs
/// first, then the workflow events in log order, then a status when the checkpoint moved. Wake-ups that
/// arrive while it reads are folded into one more read. While nobody listens it only follows the checkpoint.
/// </summary>
public sealed class ChangeFeed(
    ChangeLog log, ChangeListener listener, StatusReader status, StreamSettings settings, IHostApplicationLifetime lifetime, ILogger<ChangeFeed> logger)
    : BackgroundService
{
    /// <summary>Events per read of the log; a block is never cut, so a batch may hold more.</summary>
    private const int PageEvents = 5000;

    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly List<StreamSubscriber> _subscribers = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Written under _gate by the sync loop only; a new subscription starts from them.
    private StreamCursor? _cursor;
    private long _lastReorgId;
    private StreamFrame? _status;
    private bool _stopped;
    private int _replayed;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Subscribes a stream. Right after start the feed may not have read the log yet: then this waits a
    /// moment for it.
    /// </summary>
    /// <returns>Null when the feed has not read the log within that moment, or shutdown began.</returns>
    public async Task<StreamSubscription?> SubscribeAsync(CancellationToken cancellationToken)
    {
        if (Subscribe() is { } subscription)
        {
            return subscription;
        }

        try
        {
            await _ready.Task.WaitAsync(ReadyWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }

        return Subscribe();
    }

    private StreamSubscription? Subscribe()
    {
        lock (_gate)
        {
            if (_cursor is not { } cursor || _stopped)
            {
                return null;
            }

            var subscriber = new StreamSubscriber(settings.QueueBatches);
            _subscribers.Add(subscriber);
            return new StreamSubscription(subscriber, cursor, _lastReorgId, _status);
        }
    }

    public void Unsubscribe(StreamSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ending = lifetime.ApplicationStopping.Register(EndAll);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        var token = stopping.Token;
        var listening = listener.RunAsync(Wake, token);
        var keepingAlive = KeepAliveAsync(token);
        var syncing = SyncLoopAsync(token);
        try
        {
            // They run until shutdown; one that fails for any other reason takes the feed (and the host) down visibly.
            await await Task.WhenAny(listening, keepingAlive, syncing);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private void Wake(ChangeNotice? notice)
    {
        if (notice?.Kind == ChangeKind.Replay)
        {
            // The projection was rebuilt (to the same rows, being deterministic): clients hear of it as a status.
            Interlocked.Exchange(ref _replayed, 1);
        }

        _wake.Writer.TryWrite(true);
    }

    private async Task SyncLoopAsync(CancellationToken stopping)
    {
        var retry = ChangeListener.Reconnecting(logger);
        await foreach (var _ in _wake.Reader.ReadAllAsync(stopping))
        {
            await retry.ExecuteAsync(SyncAsync, stopping);
        }
    }

    private async ValueTask SyncAsync(CancellationToken cancellationToken)
    {
        var replayed = Interlocked.Exchange(ref _replayed, 0) == 1;
        var head = await log.HeadAsync(cancellationToken);
        if (_cursor is null)
        {
            // Streams start from here: what was committed before the API started is in the log, for resumes.
            var start = head?.Cursor ?? StreamCursor.BeforeEverything;
            var first = await StatusFrameAsync(start, cancellationToken);
            lock (_gate)
            {
                (_cursor, _lastReorgId, _status) = (start, head?.LastReorgId ?? 0, first);
            }

            _ready.TrySetResult();
            return;
        }

        if (head is null)
        {
            return;
        }

        var moved = replayed;
        if (head.LastReorgId > _lastReorgId)
        {
            foreach (var reorg in await log.ReorgsAfterAsync(_lastReorgId, cancellationToken))
            {
                lock (_gate)
                {
                    Publish(StreamBatch.Of(reorg));
                    _cursor = _cursor.Value.Position > reorg.Ancestor.Position ? reorg.Ancestor : _cursor;
                    _lastReorgId = reorg.Id;
                }
            }

            moved = true;
        }

        moved |= await FollowLogAsync(head, cancellationToken);
        if (moved)
        {
            var frame = await StatusFrameAsync(_cursor.Value, cancellationToken);
            lock (_gate)
            {
                _status = frame;
                Publish(new StreamBatch([frame]));
            }
        }
    }

    /// <returns>Whether the cursor moved.</returns>
    private async Task<bool> FollowLogAsync(LogHead head, CancellationToken cancellationToken)
    {
        var before = _cursor!.Value;
        if (head.Cursor == before)
        {
            return false;
        }

        lock (_gate)
        {
            if (_subscribers.Count == 0)
            {
                _cursor = head.Cursor;
                return true;
            }
        }

        while (await log.PageAsync(_cursor.Value, workflowId: null, PageEvents, cancellationToken) is { } page)
        {
            if (page.Head.LastReorgId > _lastReorgId)
            {
                // A repair committed while reading: handle it, then read on from where it leaves the log.
                Wake(null);
                break;
            }

            lock (_gate)
            {
                if (page.Frames.Count > 0)
                {
                    Publish(new StreamBatch(page.Frames));
                }

                _cursor = page.End;
            }

            if (page.ReachedHead)
            {
                break;
            }
        }

        return _cursor != before;
    }

    /// <summary>The chain as the worker last saw it, with the checkpoint as far as <paramref name="cursor"/>.</summary>
    public async Task<StreamFrame> StatusFrameAsync(StreamCursor cursor, CancellationToken cancellationToken)
    {
        var current = await status.CurrentAsync(cancellationToken);
        long? lastIndexed = cursor.Block >= 0 ? cursor.Block : null;
        long? lag = current.ConfirmedHead is { } confirmed && lastIndexed is { } last ? Math.Max(0, confirmed - last) : null;
        return StreamFrame.Status(cursor, current.ChainHead, current.ConfirmedHead, lastIndexed, lag);
    }

    private async Task KeepAliveAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(settings.KeepAliveInterval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            lock (_gate)
            {
                Publish(StreamBatch.KeepAlive);
            }
        }
    }

    /// <summary>Under <see cref="_gate"/>: queues the batch for every stream; a stream whose queue is full is dropped.</summary>
    private void Publish(StreamBatch batch)
    {
        for (var i = _subscribers.Count - 1; i >= 0; i--)
        {
            if (!_subscribers[i].TryEnqueue(batch))
            {
                _subscribers[i].Drop();
                _subscribers.RemoveAt(i);
                logger.LogWarning("Dropped a stream that fell {Batches} batches behind (its client does not read)", settings.QueueBatches);
            }
        }
    }

    /// <summary>Shutdown: every stream ends cleanly after what it has queued.</summary>
    private void EndAll()
    {
        lock (_gate)
        {
            _stopped = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.End();
            }

            _subscribers.Clear();
        }
    }
}

/// <param name="Cursor">Where the feed stands: the subscriber's batches continue from here.</param>
/// <param name="LastReorgId">The last reorg the feed has handled.</param>
/// <param name="Status">The latest status frame, for a stream that starts live.</param>
public sealed record StreamSubscription(StreamSubscriber Subscriber, StreamCursor Cursor, long LastReorgId, StreamFrame? Status);
