using Microsoft.Extensions.Options;
using Query.Api.Configuration;

namespace Query.Api.Streaming;

/// <summary>
/// Bounds how many of the streams' own log reads (resume checks, catch-up pages) run at once, to a
/// quarter of DB_POOL_SIZE: many clients resuming together (after a restart of the API) wait for each
/// other, and the other requests always find a connection in the pool.
/// </summary>
public sealed class CatchUpGate(IOptions<ApiOptions> options, IHostApplicationLifetime lifetime)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.DbPoolSize / 4));

    /// <param name="read">Runs to its end once started, as the API's other reads do (see AnswerCache): it gets the
    /// application's token (cancelled once the server has stopped), not the request's. A read is one bounded page,
    /// and a read cancelled mid-result by a client going away once left its connection out of step with the server
    /// (Npgsql: "Received unexpected backend message DataRow").</param>
    /// <param name="cancellationToken">The request's: stops the wait for a slot.</param>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await read(lifetime.ApplicationStopped);
        }
        finally
        {
            _slots.Release();
        }
    }
}
