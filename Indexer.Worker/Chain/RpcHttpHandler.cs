using System.Diagnostics;
using System.Net;

namespace Indexer.Worker.Chain;

/// <summary>
/// Turns an HTTP failure status into an exception that keeps the status and Retry-After, which
/// the Nethereum client would otherwise fold into a generic error; the retry strategy reads them.
/// A Retry-After also holds back every other request to the node until it has passed: the node
/// asked the client to wait, not one of its several requests in flight.
/// </summary>
internal sealed class RpcHttpHandler() : DelegatingHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    private long resumeAt;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var held = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref resumeAt));
        if (held > TimeSpan.Zero)
        {
            await Task.Delay(held, cancellationToken);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        if (retryAfter > TimeSpan.Zero)
        {
            HoldUntil(Stopwatch.GetTimestamp() + (long)(Math.Min(retryAfter.Value.TotalSeconds, 300) * Stopwatch.Frequency));
        }

        response.Dispose();
        throw new RpcHttpException(response.StatusCode, retryAfter);
    }

    private void HoldUntil(long timestamp)
    {
        var current = Volatile.Read(ref resumeAt);
        while (timestamp > current)
        {
            var seen = Interlocked.CompareExchange(ref resumeAt, timestamp, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

public sealed class RpcHttpException(HttpStatusCode status, TimeSpan? retryAfter)
    : Exception($"The node answered HTTP {(int)status} {status}.")
{
    public HttpStatusCode Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
