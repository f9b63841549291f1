using System.Net;
using System.Net.Sockets;
using System.Text;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Interop;

/// <summary>
/// Our sessions against the real hashicorp/yamux (Go), both ways, over loopback TCP, with
/// payloads of several windows so window updates flow in both directions.
/// </summary>
public sealed class InteropTests
{
    private const int Size = 3 * 1024 * 1024;

    [Fact]
    public async Task OurClient_GoServer_ManyStreamsEchoIntact()
    {
        await using var peer = await YamuxPeer.StartAsync("-mode", "server");
        await using var client = await ConnectAsync(peer);

        var streams = Enumerable.Range(0, 8).Select(async i =>
        {
            await using var stream = await client.OpenStreamAsync(Within.Token);
            var payload = Payload.Pattern(i, Size);
            var echo = Payload.ReadToEndAsync(stream, 64 * 1024);
            await stream.WriteAsync(payload, Within.Token);
            await stream.CompleteWritesAsync(Within.Token);
            var echoed = await echo;
            Assert.True(payload.AsSpan().SequenceEqual(echoed), $"stream {stream.Id}: the echo differs");
        });

        await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(60), Within.Token);
        Assert.False(client.IsClosed, client.EndReason);
        Assert.Equal(0, client.StreamCount);
    }

    [Theory]
    [InlineData(256 * 1024, 32 * 1024)]
    [InlineData(1024 * 1024, 1024 * 1024)] // Go announces a larger window with its SYN and sends 1 MiB frames
    public async Task GoClient_OurServer_ManyStreamsEchoIntact(int goWindow, int goChunk)
    {
        using var listener = LoopbackTcp.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using var peer = await YamuxPeer.StartAsync("-mode", "client", "-addr", $"127.0.0.1:{port}", "-streams", "8", "-size", $"{Size}", "-window", $"{goWindow}", "-chunk", $"{goChunk}");
        await using var server = await AcceptAsync(listener);
        var serving = ServeEchoAsync(server, goAwayOnRequest: false);

        await peer.ExpectLineAsync("STREAMS OK");
        Assert.Equal(0, await peer.WaitForExitAsync());
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(20), Within.Token);
        Assert.DoesNotContain("protocol error", server.EndReason); // the Go client just closed its socket
        await serving.Bound();
    }

    [Fact]
    public async Task GoServerGoAway_StopsOurNewStreams_TheOpenStreamCarriesOn()
    {
        await using var peer = await YamuxPeer.StartAsync("-mode", "server", "-goaway-after", "1");
        await using var client = await ConnectAsync(peer);
        await using var stream = await client.OpenStreamAsync(Within.Token);

        // The peer sends GoAway when it accepts this stream, before it echoes anything.
        await stream.WriteAsync("first"u8.ToArray(), Within.Token);
        Assert.Equal("first", Encoding.ASCII.GetString(await Payload.ReadExactlyAsync(stream, 5).Bound()));
        Assert.Equal(MuxGoAwayCode.Normal, client.RemoteGoAway);
        var refused = await Assert.ThrowsAsync<MuxException>(async () => await client.OpenStreamAsync(Within.Token));
        Assert.Contains("going away", refused.Message);

        var rest = Payload.Pattern(9, Size);
        var echo = Payload.ReadToEndAsync(stream, 64 * 1024);
        await stream.WriteAsync(rest, Within.Token);
        await stream.CompleteWritesAsync(Within.Token);
        var echoed = await echo.Bound();
        Assert.True(rest.AsSpan().SequenceEqual(echoed));
        Assert.False(client.IsClosed, client.EndReason);
    }

    [Fact]
    public async Task OurGoAway_MakesTheGoClientsNextOpenFailWithErrRemoteGoAway()
    {
        using var listener = LoopbackTcp.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using var peer = await YamuxPeer.StartAsync("-mode", "client", "-addr", $"127.0.0.1:{port}", "-streams", "2", "-size", "100000", "-goaway-probe");
        await using var server = await AcceptAsync(listener);
        var serving = ServeEchoAsync(server, goAwayOnRequest: true);

        await peer.ExpectLineAsync("GOAWAY OK");
        Assert.Equal(0, await peer.WaitForExitAsync());
        await serving.Bound();
    }

    [Fact]
    public async Task OurKeepAlive_IsAnsweredByGo()
    {
        await using var peer = await YamuxPeer.StartAsync("-mode", "server");
        await using var client = await ConnectAsync(peer, MuxOptions.Default with { KeepAliveInterval = TimeSpan.FromMilliseconds(50) });

        Within.SpinUntil(() => client.LastPingRoundTrip is not null || client.IsClosed, "the Go peer answers a ping");

        Assert.False(client.IsClosed, client.EndReason);
        Assert.NotNull(client.LastPingRoundTrip);
    }

    private static async Task<MuxSession> ConnectAsync(YamuxPeer peer, MuxOptions? options = null)
    {
        var port = int.Parse((await peer.ExpectLineAsync("LISTENING ")).Split(' ')[1]);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Within.Token);
        return MuxSession.CreateClient(new NetworkStream(socket, ownsSocket: true), options ?? MuxOptions.Default, TimeProvider.System, TestLogger.For("client"));
    }

    private static async Task<MuxSession> AcceptAsync(Socket listener)
    {
        var socket = await listener.AcceptAsync(Within.Token).AsTask().Bound();
        socket.NoDelay = true;
        return MuxSession.CreateServer(new NetworkStream(socket, ownsSocket: true), MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
    }

    /// <summary>
    /// Echoes every stream as bytes arrive; a stream that starts with "GOAWAY\n" gets GoAway
    /// sent before its FIN instead. The Go client closes the whole session as soon as it has
    /// its echoes, so a stream may find the session gone while it sends its own FIN.
    /// </summary>
    private static async Task ServeEchoAsync(MuxSession session, bool goAwayOnRequest)
    {
        var served = new List<Task>();
        while (await session.AcceptStreamAsync(Within.Token) is { } stream)
        {
            served.Add(Task.Run(async () =>
            {
                await using (stream)
                {
                    try
                    {
                        var head = new byte[GoAwayRequest.Length];
                        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, Within.Token);
                        if (goAwayOnRequest && head.AsSpan(0, read).SequenceEqual(GoAwayRequest))
                        {
                            await session.GoAwayAsync(MuxGoAwayCode.Normal, Within.Token);
                            await stream.CompleteWritesAsync(Within.Token);

                            // Close gracefully: wait for the peer's FIN. Disposing earlier would
                            // reset the stream, and hashicorp/yamux drops unread data on RST.
                            await Payload.ReadToEndAsync(stream);
                            return;
                        }
                        else
                        {
                            await stream.WriteAsync(head.AsMemory(0, read), Within.Token);
                            await EchoRestAsync(stream);
                        }

                        await stream.CompleteWritesAsync(Within.Token);
                    }
                    catch (MuxException) when (session.IsClosed)
                    {
                        // The peer closed the session after taking what it needed.
                    }
                }
            }));
        }

        await Task.WhenAll(served);
    }

    private static readonly byte[] GoAwayRequest = "GOAWAY\n"u8.ToArray();

    private static async Task EchoRestAsync(MuxStream stream)
    {
        var buffer = new byte[32 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, Within.Token)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), Within.Token);
        }
    }
}
