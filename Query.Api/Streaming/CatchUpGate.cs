using Microsoft.Extensions.Options;
using Query.Api.Configuration;

namespace Query.Api.Streaming;

/// <summary>
/// Bounds how many of the streams' own log reads (resume checks, catch-up pages) run at once, to a
/// quarter of DB_POOL_SIZE: many clients resuming together (after a restart of the API) wait for each
/// other, and the other requests always find a connection in the pool.
/// </summary>
public sealed class CatchUpGate(IOptions<ApiOptions> options)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.DbPoolSize / 4));

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await read(cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }
}
