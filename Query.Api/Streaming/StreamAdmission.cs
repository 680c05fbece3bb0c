using System.Diagnostics.Metrics;

namespace Query.Api.Streaming;

/// <summary>Counts open streams against STREAM_MAX_CLIENTS, and reports them as the metric x402.api.streams.open.</summary>
public sealed class StreamAdmission
{
    private readonly StreamSettings settings;
    private int _open;

    public StreamAdmission(StreamSettings settings, IMeterFactory meters)
    {
        this.settings = settings;
        meters.Create(StreamMetrics.MeterName).CreateObservableUpDownCounter(
            "x402.api.streams.open", () => Volatile.Read(ref _open), "{stream}", "Server-sent event streams (GET /stream) open now.");
    }

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
