using Microsoft.Playwright;

namespace Query.Api.BrowserTests.Support;

/// <summary>
/// Debian's Chromium, launched once per run. Playwright drives it through the driver its package
/// ships (node included), so nothing is downloaded: the browser is the installed one.
/// </summary>
public static class Chromium
{
    private const string DebianPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IBrowser? _browser;

    /// <summary>CHROMIUM_PATH when set, else Debian's /usr/bin/chromium.</summary>
    public static string ExecutablePath
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
            var path = string.IsNullOrWhiteSpace(configured) ? DebianPath : configured;
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException(
                    $"No Chromium at {path}: install it (bash deploy/setup.sh, or apt-get install chromium), or set CHROMIUM_PATH.", path);
        }
    }

    public static async Task<IBrowser> GetAsync(IPlaywright playwright)
    {
        await Gate.WaitAsync();
        try
        {
            return _browser ??= await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
            });
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser = null;
        }
    }
}
