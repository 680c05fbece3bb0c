using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ServiceDefaults.Configuration;

namespace ServiceDefaults.Startup;

/// <summary>Where a host listens: an IP address or localhost, and a port, from its configuration.</summary>
public static class ListenAddress
{
    /// <summary>Binds Kestrel to host:port only, without the Server header.</summary>
    public static void ListenOn(this KestrelServerOptions kestrel, string host, int port)
    {
        if (host == "localhost")
        {
            kestrel.ListenLocalhost(port);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host), port);
        }

        kestrel.AddServerHeader = false;
    }

    /// <summary>
    /// Fails with a configuration error naming <paramref name="portVariable"/> when another process listens
    /// on host:port already, before the web host starts (which would report it with a stack trace).
    /// </summary>
    /// <exception cref="ConfigurationException">The port is taken.</exception>
    public static void EnsureFree(string host, int port, string portVariable)
    {
        var address = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel binds: a port left in TIME_WAIT by an earlier run is free, a listening one is not.
        probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            probe.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new ConfigurationException($"{portVariable} {port} on {host} is in use by another process");
        }
    }
}
