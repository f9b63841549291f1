using System.Text;
using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Sessions;

public sealed class MuxSessionTests
{
    [Theory]
    [InlineData(TransportKind.Memory)]
    [InlineData(TransportKind.Tcp)]
    public async Task OpenAndAccept_EchoesBytesBothWays(TransportKind kind)
    {
        await using var pair = await SessionPair.CreateAsync(kind);

        var (opened, accepted) = await pair.OpenAsync();
        await opened.WriteAsync("hello"u8.ToArray(), Within.Token);
        var request = await Payload.ReadExactlyAsync(accepted, 5).Bound();
        await accepted.WriteAsync(request, Within.Token);
        var echo = await Payload.ReadExactlyAsync(opened, 5).Bound();

        Assert.Equal("hello", Encoding.ASCII.GetString(echo));
        Assert.Equal(1u, opened.Id);
    }

    [Theory]
    [InlineData(TransportKind.Memory)]
    [InlineData(TransportKind.Tcp)]
    public async Task StreamIds_AreOddFromTheClientAndEvenFromTheServer(TransportKind kind)
    {
        await using var pair = await SessionPair.CreateAsync(kind);

        var ids = new List<uint>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await pair.OpenAsync(fromClient: true)).Opened.Id);
            ids.Add((await pair.OpenAsync(fromClient: false)).Opened.Id);
        }

        Assert.Equal([1u, 2u, 3u, 4u, 5u, 6u], ids);
        Assert.Equal(6, pair.Client.StreamCount);
        Assert.Equal(6, pair.Server.StreamCount);
    }

    [Theory]
    [InlineData(TransportKind.Memory)]
    [InlineData(TransportKind.Tcp)]
    public async Task ManyConcurrentStreams_EachCarryItsOwnBytes(TransportKind kind)
    {
        const int Streams = 100;
        await using var pair = await SessionPair.CreateAsync(kind);
        var server = Task.Run(async () =>
        {
            var echoes = new List<Task>();
            for (var i = 0; i < Streams; i++)
            {
                var stream = await pair.Server.AcceptStreamAsync(Within.Token);
                Assert.NotNull(stream);
                echoes.Add(EchoAsync(stream));
            }

            await Task.WhenAll(echoes);
        });

        var clients = Enumerable.Range(0, Streams).Select(async i =>
        {
            await using var stream = await pair.Client.OpenStreamAsync(Within.Token);
            var payload = Payload.Pattern(i, 1000 + (i * 997 % 50_000));
            var reading = Payload.ReadToEndAsync(stream);
            await stream.WriteAsync(payload, Within.Token);
            await stream.CompleteWritesAsync(Within.Token);
            Assert.Equal(payload, await reading);
        });

        await Task.WhenAll(clients).Bound();
        await server.Bound();
        Assert.Equal(0, pair.Client.StreamCount);
    }

    [Theory]
    [InlineData(TransportKind.Memory)]
    [InlineData(TransportKind.Tcp)]
    public async Task CompleteWrites_HalfCloses_ThePeerReadsEofAndCanStillWrite(TransportKind kind)
    {
        await using var pair = await SessionPair.CreateAsync(kind);
        var (opened, accepted) = await pair.OpenAsync();

        await opened.WriteAsync("request"u8.ToArray(), Within.Token);
        await opened.CompleteWritesAsync(Within.Token);
        var request = await Payload.ReadToEndAsync(accepted).Bound();
        await accepted.WriteAsync("response"u8.ToArray(), Within.Token);
        await accepted.CompleteWritesAsync(Within.Token);
        var response = await Payload.ReadToEndAsync(opened).Bound();

        Assert.Equal("request", Encoding.ASCII.GetString(request));
        Assert.Equal("response", Encoding.ASCII.GetString(response));
        Assert.Equal(0, await opened.ReadAsync(new byte[1], Within.Token));
        await Assert.ThrowsAsync<MuxException>(async () => await opened.WriteAsync(new byte[1], Within.Token));
        await opened.CompleteWritesAsync(Within.Token); // idempotent
    }

    [Fact]
    public async Task BothSidesClosed_ReleaseTheStreamFromBothSessions()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (opened, accepted) = await pair.OpenAsync();

        await opened.CompleteWritesAsync(Within.Token);
        Assert.Empty(await Payload.ReadToEndAsync(accepted).Bound());
        await accepted.CompleteWritesAsync(Within.Token);
        Assert.Empty(await Payload.ReadToEndAsync(opened).Bound());

        Assert.Equal(0, pair.Client.StreamCount);
        Assert.Equal(0, pair.Server.StreamCount);
    }

    [Theory]
    [InlineData(TransportKind.Memory)]
    [InlineData(TransportKind.Tcp)]
    public async Task Abort_ResetsTheStream_PeerReadsAndWritesFail(TransportKind kind)
    {
        await using var pair = await SessionPair.CreateAsync(kind);
        var (opened, accepted) = await pair.OpenAsync();
        var pendingRead = accepted.ReadAsync(new byte[10], Within.Token).AsTask();

        opened.Abort();

        var error = await Assert.ThrowsAsync<MuxException>(() => pendingRead.Bound());
        Assert.Contains("reset by the peer", error.Message);
        await Assert.ThrowsAnyAsync<IOException>(async () => await accepted.WriteAsync(new byte[1], Within.Token));
        await Assert.ThrowsAnyAsync<IOException>(() => Payload.ReadOnceAsync(opened));
        await Assert.ThrowsAnyAsync<IOException>(async () => await opened.WriteAsync(new byte[1], Within.Token));
        Assert.Equal(0, pair.Client.StreamCount);
        Assert.Equal(0, pair.Server.StreamCount);
    }

    [Fact]
    public async Task Dispose_WhilePeerStillSends_SendsRst()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (opened, accepted) = await pair.OpenAsync();

        await accepted.DisposeAsync();

        await pair.ServerToClient!.WaitForAsync(f => f.Header.StreamId == opened.Id && f.Header.Has(FrameFlags.Rst));
        await Assert.ThrowsAsync<MuxException>(() => Payload.ReadOnceAsync(opened));
    }

    [Fact]
    public async Task Dispose_AfterPeerFinished_SendsFin_AndThePeerReadsEverything()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (opened, accepted) = await pair.OpenAsync();
        await opened.CompleteWritesAsync(Within.Token);
        Assert.Empty(await Payload.ReadToEndAsync(accepted).Bound());

        await accepted.WriteAsync("last words"u8.ToArray(), Within.Token);
        await accepted.DisposeAsync();

        Assert.Equal("last words", Encoding.ASCII.GetString(await Payload.ReadToEndAsync(opened).Bound()));
        Assert.DoesNotContain(pair.ServerToClient!.Frames, f => f.Header.Has(FrameFlags.Rst));
        Assert.Equal(0, pair.Server.StreamCount);
    }

    [Fact]
    public async Task DataForAStreamAlreadyReset_IsDiscarded_AndTheSessionLives()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (opened, accepted) = await pair.OpenAsync();
        accepted.Abort();

        // The client may not have seen the RST yet; whatever it sends meanwhile is dropped.
        try
        {
            await opened.WriteAsync(new byte[100_000], Within.Token);
        }
        catch (MuxException)
        {
        }

        var (second, secondAccepted) = await pair.OpenAsync();
        await second.WriteAsync("still alive"u8.ToArray(), Within.Token);
        Assert.Equal("still alive", Encoding.ASCII.GetString(await Payload.ReadExactlyAsync(secondAccepted, 11).Bound()));
        Assert.False(pair.Server.IsClosed);
    }

    [Fact]
    public async Task ZeroByteRead_WaitsForData_WithoutConsumingIt()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (opened, accepted) = await pair.OpenAsync();

        var waiting = accepted.ReadAsync(Memory<byte>.Empty, Within.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        await opened.WriteAsync("x"u8.ToArray(), Within.Token);

        Assert.Equal(0, await waiting.Bound());
        Assert.Equal("x", Encoding.ASCII.GetString(await Payload.ReadExactlyAsync(accepted, 1).Bound()));
    }

    [Fact]
    public async Task ReadAsync_Cancelled_ThrowsAndTheStreamStaysUsable()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (opened, accepted) = await pair.OpenAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Within.Token);

        var read = accepted.ReadAsync(new byte[4], cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.Bound());
        await opened.WriteAsync("ok"u8.ToArray(), Within.Token);
        Assert.Equal("ok", Encoding.ASCII.GetString(await Payload.ReadExactlyAsync(accepted, 2).Bound()));
    }

    [Fact]
    public async Task Stream_IsNotSeekable_AndFlushDoesNothing()
    {
        var (client, _) = DuplexPipe.CreatePair();
        var session = MuxSession.CreateClient(client, MuxOptions.Default, TimeProvider.System, Loggers.Null);
        var stream = await session.OpenStreamAsync(Within.Token);

        Assert.False(stream.CanSeek);
        Assert.True(stream.CanRead && stream.CanWrite);
        Assert.True(stream.FlushAsync(Within.Token).IsCompletedSuccessfully);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        await session.DisposeAsync();
        stream.Dispose();
        Assert.False(stream.CanRead);
    }

    [Theory]
    [InlineData(100 * 1024)]
    [InlineData(MuxOptions.InitialWindow - 1)]
    public void Options_WithAWindowBelowTheSpecsInitialWindow_AreRejected(int window)
    {
        var (client, _) = DuplexPipe.CreatePair();

        Assert.Throws<ArgumentOutOfRangeException>(() => MuxSession.CreateClient(client, MuxOptions.Default with { ReceiveWindow = window }, TimeProvider.System, Loggers.Null));
    }

    [Fact]
    public async Task SyncReadAndWrite_Work()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (opened, accepted) = await pair.OpenAsync();

        await Task.Run(() => opened.Write("sync"u8.ToArray(), 0, 4));
        var buffer = new byte[4];
        var read = await Task.Run(() => accepted.Read(buffer, 0, 4));

        Assert.True(read > 0);
    }

    internal static async Task EchoAsync(MuxStream stream)
    {
        await using (stream)
        {
            var buffer = new byte[32 * 1024];
            while (true)
            {
                var read = await stream.ReadAsync(buffer, Within.Token);
                if (read == 0)
                {
                    break;
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), Within.Token);
            }

            await stream.CompleteWritesAsync(Within.Token);
        }
    }
}
