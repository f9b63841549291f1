using System.Net;
using System.Net.Sockets;

namespace TunnelOperator.Mux.Tests.Support;

/// <summary>A connected pair of TCP sockets on 127.0.0.1; nothing here ever leaves loopback.</summary>
internal static class LoopbackTcp
{
    public static async Task<(NetworkStream Client, NetworkStream Server)> CreatePairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = listener.AcceptAsync(Within.Token);
        await client.ConnectAsync(listener.LocalEndPoint!, Within.Token);
        var server = await accepting;
        server.NoDelay = true;
        return (new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }

    public static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        return listener;
    }
}
