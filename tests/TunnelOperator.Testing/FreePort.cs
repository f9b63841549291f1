using System.Net;
using System.Net.Sockets;

namespace TunnelOperator.Testing;

/// <summary>Loopback ports for real peers started by tests.</summary>
public static class FreePort
{
    /// <summary>
    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick for port 0). For
    /// servers that must come back on the same port after a restart; another process may take it
    /// in between, so callers that can bind port 0 themselves should.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
