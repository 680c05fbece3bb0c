namespace Indexer.Worker.Startup;

/// <summary>Something opened beside the startup checks, let go of once it is no longer wanted.</summary>
internal static class OpenedAhead
{
    /// <summary>
    /// Waits for <paramref name="opening"/> (if anything was opened ahead) without throwing, as a failure to open is not
    /// the caller's to report, and disposes what it opened.
    /// </summary>
    public static async Task DisposeAsync<T>(Task<T>? opening)
        where T : IAsyncDisposable?
    {
        if (opening is null)
        {
            return;
        }

        await ((Task)opening).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (opening.IsCompletedSuccessfully && opening.Result is { } opened)
        {
            await opened.DisposeAsync();
        }
    }
}
