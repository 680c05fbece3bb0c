using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using TestSupport;

namespace Query.Api.BrowserTests.Support;

/// <summary>
/// A tiny web server on another port of 127.0.0.1, hence another origin than the API's. Its one page
/// calls the API from the browser (a simple GET, and a GET with a header that needs a preflight) and
/// writes what happened into #result: "list:200 link:yes stats:200", or "blocked" for each refused call.
/// </summary>
public sealed class SecondOrigin : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private string _page = "";

    private SecondOrigin(int port)
    {
        Origin = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        _listener.Prefixes.Add(Origin + "/");
    }

    /// <summary>http://127.0.0.1:port, as a browser sends it in the Origin header.</summary>
    public string Origin { get; }

    public static SecondOrigin OnFreePort() => new(FreePort.Next());

    /// <summary>Starts answering, with a page that calls the API at <paramref name="apiUrl"/>.</summary>
    public void Serve(string apiUrl)
    {
        _page = PageCalling(apiUrl);
        _listener.Start();
        _ = Task.Run(AnswerAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        _listener.Close();
        _stop.Dispose();
    }

    private async Task AnswerAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }

            using var response = context.Response;
            if (context.Request.Url?.AbsolutePath != "/")
            {
                response.StatusCode = 404;
                continue;
            }

            var body = Encoding.UTF8.GetBytes(_page);
            response.ContentType = "text/html; charset=utf-8";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
        }
    }

    private static string PageCalling(string apiUrl) => $$"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Another origin</title><link rel="icon" href="data:,"></head>
        <body>
        <p id="result">pending</p>
        <script>
        const api = {{JsonSerializer.Serialize(apiUrl)}};
        async function call(path, headers) {
          try {
            const response = await fetch(api + path, { headers });
            return response;
          } catch (error) {
            return null;
          }
        }
        (async () => {
          const list = await call("/workflows?limit=1", {});
          // If-None-Match is not a CORS-safelisted header: this request needs a preflight.
          const stats = await call("/stats", { "If-None-Match": "\"no-such-tag\"" });
          document.getElementById("result").textContent = [
            list ? `list:${list.status} link:${list.headers.get("Link") ? "yes" : "no"}` : "list:blocked",
            stats ? `stats:${stats.status}` : "stats:blocked",
          ].join(" ");
        })();
        </script>
        </body>
        </html>
        """;
}
