namespace TestSupport;

public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(75);

    /// <summary>
    /// Polls <paramref name="condition"/> until it returns true. An exception from the condition
    /// counts as "not yet" (a server still starting refuses connections) and is reported on timeout.
    /// </summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because) =>
        TrueAsync(condition, timeout, () => because);

    /// <param name="because">Built only on timeout, so that it can show what happened meanwhile (a process's output).</param>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> because)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception error)
            {
                lastError = error;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var detail = lastError is null ? "" : $" Last error: {lastError.GetType().Name}: {lastError.Message}";
                throw new TimeoutException($"Not true within {timeout.TotalSeconds:0.#} s: {because()}.{detail}", lastError);
            }

            await Task.Delay(PollInterval);
        }
    }
}
