using System.Net.Sockets;
using TunnelOperator.Mux.Tests.Support;
using TunnelOperator.Mux.Transport;

namespace TunnelOperator.Mux.Tests.Transport;

/// <summary>
/// <see cref="CoalescingSocketStream"/> over real loopback sockets: bytes arrive in order
/// whatever mix of small (queued) and large (direct) writes made them, a peer that stops
/// reading holds writers back, a broken connection fails later writes, and disposing still
/// delivers what was queued.
/// </summary>
public sealed class CoalescingSocketStreamTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task MixedWriteSizes_ArriveInOrder()
    {
        const long Total = 64L * MiB;
        var (writerSocket, reader) = await ConnectAsync();
        await using var stream = new CoalescingSocketStream(writerSocket);
        await using var peer = new NetworkStream(reader, ownsSocket: true);
        var receiving = Task.Run(() => Payload.ReadVerifiedAsync(peer, seed: 5));

        // Sizes on both sides of the inline threshold, from 1 byte to 100 KiB, in a fixed order.
        var random = new Random(42);
        long sent = 0;
        var block = new byte[100 * 1024];
        while (sent < Total)
        {
            var size = (int)Math.Min(Total - sent, random.Next(4) switch
            {
                0 => random.Next(1, 64),
                1 => random.Next(64, CoalescingSocketStream.InlineThreshold),
                2 => random.Next(CoalescingSocketStream.InlineThreshold, block.Length),
                _ => CoalescingSocketStream.InlineThreshold,
            });
            Payload.FillBlocks(seed: 5, position: sent, block.AsSpan(0, size));
            await stream.WriteAsync(block.AsMemory(0, size), Within.Token);
            sent += size;
        }

        await stream.WhenSentAsync(Within.Token).Bound();
        writerSocket.Shutdown(SocketShutdown.Send);
        Assert.Equal(Total, await receiving.Bound());
    }

    [Fact]
    public async Task APeerThatStopsReading_HoldsWritersBack_UntilItReadsAgain()
    {
        var (writerSocket, reader) = await ConnectAsync();
        await using var stream = new CoalescingSocketStream(writerSocket);
        await using var peer = new NetworkStream(reader, ownsSocket: true);
        var chunk = new byte[1024];
        long written = 0;
        ValueTask held = default;
        var holding = false;

        // Small writes queue; once the socket is full and a MiB is queued, a write must wait.
        while (written < 256L * MiB)
        {
            Payload.FillBlocks(seed: 9, position: written, chunk);
            held = stream.WriteAsync(chunk, Within.Token);
            written += chunk.Length;
            if (!held.IsCompleted)
            {
                holding = true;
                break;
            }

            await held;
        }

        Assert.True(holding, $"{written} bytes were accepted without any write waiting for the peer");
        var receiving = Task.Run(() => Payload.ReadVerifiedAsync(peer, seed: 9));
        await held.Bound();
        await stream.WhenSentAsync(Within.Token).Bound();
        writerSocket.Shutdown(SocketShutdown.Send);
        Assert.Equal(written, await receiving.Bound());
    }

    [Fact]
    public async Task AfterTheConnectionBreaks_WritesFail()
    {
        var (writerSocket, reader) = await ConnectAsync();
        await using var stream = new CoalescingSocketStream(writerSocket);
        reader.LingerState = new LingerOption(true, 0); // close with RST
        reader.Dispose();

        var chunk = new byte[CoalescingSocketStream.InlineThreshold];
        var failure = await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                await stream.WriteAsync(chunk, Within.Token);
            }
        });
        Assert.Contains("sending to the peer failed", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IOException>(() => stream.WriteAsync(new byte[1], Within.Token).AsTask());
    }

    [Fact]
    public async Task Dispose_DeliversWhatWasQueued()
    {
        var (writerSocket, reader) = await ConnectAsync();
        var stream = new CoalescingSocketStream(writerSocket);
        await using var peer = new NetworkStream(reader, ownsSocket: true);
        var chunk = new byte[100];
        for (var i = 0; i < 1000; i++)
        {
            Payload.FillBlocks(seed: 3, position: i * chunk.Length, chunk);
            await stream.WriteAsync(chunk, Within.Token);
        }

        await stream.DisposeAsync();

        Assert.Equal(100_000, await Payload.ReadVerifiedAsync(peer, seed: 3).Bound());
    }

    [Fact]
    public async Task Reads_ComeStraightFromTheSocket()
    {
        var (socket, other) = await ConnectAsync();
        await using var stream = new CoalescingSocketStream(socket);
        await using var peer = new NetworkStream(other, ownsSocket: true);
        await peer.WriteAsync(new byte[] { 1, 2, 3 }, Within.Token);
        other.Shutdown(SocketShutdown.Send);

        var read = await Payload.ReadToEndAsync(stream);

        Assert.Equal(new byte[] { 1, 2, 3 }, read);
    }

    private static async Task<(Socket Client, Socket Server)> ConnectAsync()
    {
        using var listener = LoopbackTcp.Listen();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = listener.AcceptAsync(Within.Token);
        await client.ConnectAsync(listener.LocalEndPoint!, Within.Token);
        return (client, await accepting);
    }
}
