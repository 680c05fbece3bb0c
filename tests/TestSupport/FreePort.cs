using System.Net;
using System.Net.Sockets;

namespace TestSupport;

public static class FreePort
{
    /// <summary>
    /// The worker's environment with METRICS_PORT (its probes and /metrics) on a free port unless it is set,
    /// so that several workers, and a worker beside a real one on the default port, run side by side.
    /// </summary>
    public static Dictionary<string, string> WithMetricsPort(IReadOnlyDictionary<string, string> environment)
    {
        var withPort = new Dictionary<string, string>(environment);
        withPort.TryAdd("METRICS_PORT", Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return withPort;
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A TCP port on 127.0.0.1 that nobody listens on right now (the OS picks it), and that this run has not
    /// handed out before: the OS may offer a port again once it is released, before the process it was meant
    /// for has bound it (two workers started one after the other were once given the same METRICS_PORT).
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port;
            try
            {
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            finally
            {
                listener.Stop();
            }

            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
