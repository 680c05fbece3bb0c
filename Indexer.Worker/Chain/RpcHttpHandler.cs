using System.Net;

namespace Indexer.Worker.Chain;

/// <summary>
/// Turns an HTTP failure status into an exception that keeps the status and Retry-After, which
/// the Nethereum client would otherwise fold into a generic error; the retry strategy reads them.
/// </summary>
internal sealed class RpcHttpHandler() : DelegatingHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
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
        response.Dispose();
        throw new RpcHttpException(response.StatusCode, retryAfter);
    }
}

public sealed class RpcHttpException(HttpStatusCode status, TimeSpan? retryAfter)
    : Exception($"The node answered HTTP {(int)status} {status}.")
{
    public HttpStatusCode Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
