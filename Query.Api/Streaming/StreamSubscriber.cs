using System.Threading.Channels;

namespace Query.Api.Streaming;

/// <summary>
/// One stream's queue of batches from the feed. The queue is bounded: a client that does not read keeps
/// its response from draining, its queue fills, and it is dropped rather than buffered without end.
/// </summary>
public sealed class StreamSubscriber
{
    private readonly Channel<StreamBatch> _queue;
    private readonly CancellationTokenSource _dropped = new();
    private bool _isDropped;

    public StreamSubscriber(int capacity)
    {
        _queue = Channel.CreateBounded<StreamBatch>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<StreamBatch> Batches => _queue.Reader;

    /// <summary>Cancelled when the stream fell too far behind: its pending write is abandoned.</summary>
    public CancellationToken Dropped => _dropped.Token;

    /// <summary>Set as soon as the feed drops the stream, before <see cref="Dropped"/> is cancelled.</summary>
    public bool IsDropped => Volatile.Read(ref _isDropped);

    /// <returns>False when the queue is full.</returns>
    internal bool TryEnqueue(StreamBatch batch) => _queue.Writer.TryWrite(batch);

    /// <summary>Stops the stream where it is (called under the feed's lock, so the cancellation runs elsewhere).</summary>
    internal void Drop()
    {
        Volatile.Write(ref _isDropped, true);
        _queue.Writer.TryComplete();
        ThreadPool.UnsafeQueueUserWorkItem(static dropped => dropped.Cancel(), _dropped, preferLocal: false);
    }

    /// <summary>Ends the stream cleanly once what is queued is sent (shutdown).</summary>
    internal void End() => _queue.Writer.TryComplete();
}
