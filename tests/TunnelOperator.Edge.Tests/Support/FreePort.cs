using System.Net;
using System.Net.Sockets;

namespace TunnelOperator.Edge.Tests.Support;

internal static class FreePort
{
    /// <summary>
    /// A loopback port that was free a moment ago, for programs that must be restarted on the
    /// same port (port 0 would give a different one each time).
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
