namespace Query.Api.Streaming;

/// <summary>Counts open streams against STREAM_MAX_CLIENTS.</summary>
public sealed class StreamAdmission(StreamSettings settings)
{
    private int _open;

    /// <returns>False when the limit is reached; otherwise the caller must <see cref="Leave"/> when its stream ends.</returns>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= settings.MaxClients)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _open);
}
