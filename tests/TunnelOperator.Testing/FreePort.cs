using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TunnelOperator.Testing;

/// <summary>Loopback ports for real peers started by tests.</summary>
public static class FreePort
{
    private const int Lowest = 10000;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A TCP port on 127.0.0.1 that is free now, for servers that must come back on the same port
    /// after a restart. It is taken from below the kernel's ephemeral range, where the outgoing
    /// connections of every other test cannot land on it while the server is down (a port the
    /// kernel picked for port 0 could be reused that way, and the restart would fail with "address
    /// already in use"). Never the same port twice in one test process. Callers that can bind
    /// port 0 themselves should.
    /// </summary>
    public static int Next()
    {
        var below = EphemeralRangeStart();
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Lowest, below);
            lock (Gate)
            {
                if (Given.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {Lowest} and {below} after 1000 tries");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // /proc/sys/net/ipv4/ip_local_port_range holds "low high"; Linux's default low end is 32768.
    private static int EphemeralRangeStart()
    {
        try
        {
            var low = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            var start = int.Parse(low, CultureInfo.InvariantCulture);
            return start > Lowest + 1000 ? start : 32768;
        }
        catch (IOException)
        {
            return 32768;
        }
    }
}
