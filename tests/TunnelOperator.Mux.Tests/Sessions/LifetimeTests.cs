using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Sessions;

public sealed class LifetimeTests
{
    [Theory]
    [InlineData(TransportKind.Memory)]
    [InlineData(TransportKind.Tcp)]
    public async Task Dispose_ResetsEveryStream_EndsAccept_AndThePeerSessionEndsToo(TransportKind kind)
    {
        var options = MuxOptions.Default with { ReceiveWindow = MuxOptions.InitialWindow };
        await using var pair = await SessionPair.CreateAsync(kind, options, options);
        var (opened, accepted) = await pair.OpenAsync();
        var (blockedWriter, _) = await pair.OpenAsync();
        await blockedWriter.WriteAsync(new byte[MuxOptions.InitialWindow], Within.Token);
        var pendingRead = opened.ReadAsync(new byte[10], Within.Token).AsTask();
        var pendingWrite = blockedWriter.WriteAsync(new byte[10], Within.Token).AsTask();
        var pendingAccept = pair.Client.AcceptStreamAsync(Within.Token).AsTask();

        await pair.Client.DisposeAsync().AsTask().Bound();

        Assert.True(pair.Client.IsClosed);
        Assert.True(pair.Client.Completion.IsCompletedSuccessfully);
        Assert.Equal("disposed", pair.Client.EndReason);
        await Assert.ThrowsAnyAsync<IOException>(() => pendingRead.Bound());
        await Assert.ThrowsAsync<MuxException>(() => pendingWrite.Bound());
        Assert.Null(await pendingAccept.Bound());
        await Assert.ThrowsAsync<MuxException>(async () => await pair.Client.OpenStreamAsync(Within.Token));
        await pair.Server.Completion.Bound();
        await Assert.ThrowsAnyAsync<IOException>(() => Payload.ReadOnceAsync(accepted));
        await pair.Client.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task TransportClosedByThePeer_StreamsThatHadFinReadTheirDataThenEof()
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
        var peer = new RawPeer(peerEnd);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
        await peer.SendDataAsync(1, "done"u8.ToArray(), FrameFlags.Fin);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 3, 0);
        await peer.SendDataAsync(3, "cut"u8.ToArray());
        var finished = (await session.AcceptStreamAsync(Within.Token).Bound())!;
        var cut = (await session.AcceptStreamAsync(Within.Token).Bound())!;
        await Payload.ReadExactlyAsync(cut, 3).Bound();

        await peer.DisposeAsync();
        await session.Completion.Bound();

        Assert.Equal("the transport was closed by the peer", session.EndReason);
        Assert.Equal("done"u8.ToArray(), await Payload.ReadToEndAsync(finished).Bound());
        var error = await Assert.ThrowsAsync<MuxException>(() => Payload.ReadOnceAsync(cut));
        Assert.Contains("closed by the peer", error.Message);
    }

    [Fact]
    public async Task Dispose_WhileTheTransportIsBlocked_DoesNotHang()
    {
        // The peer never reads: the session's writes fill the pipe and its flush blocks.
        var pipeOptions = new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false);
        var (sessionEnd, _) = DuplexPipe.CreatePair(pipeOptions);
        var session = MuxSession.CreateClient(sessionEnd, MuxOptions.Default, TimeProvider.System, TestLogger.For("client"));
        var stream = await session.OpenStreamAsync(Within.Token);
        var writing = stream.WriteAsync(new byte[200_000], Within.Token).AsTask();
        Within.SpinUntil(() => session.Writer.IsFlushStuck(TimeSpan.Zero), "the flush blocks");

        await session.DisposeAsync().AsTask().Bound();

        await Assert.ThrowsAsync<MuxException>(() => writing.Bound());
    }

    [Fact]
    public async Task WriteThatMakesNoProgress_EndsTheSessionAfterTheWriteTimeout()
    {
        var time = new FakeTimeProvider();
        var pipeOptions = new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false);
        var (sessionEnd, _) = DuplexPipe.CreatePair(pipeOptions);
        var options = MuxOptions.Default with { WriteTimeout = TimeSpan.FromSeconds(10), KeepAliveInterval = TimeSpan.Zero };
        await using var session = MuxSession.CreateClient(sessionEnd, options, time, TestLogger.For("client"));
        var stream = await session.OpenStreamAsync(Within.Token);
        var writing = stream.WriteAsync(new byte[200_000], Within.Token).AsTask();
        Within.SpinUntil(() => session.Writer.IsFlushStuck(TimeSpan.Zero), "the flush blocks");

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(session.IsClosed);
        time.Advance(TimeSpan.FromSeconds(5));

        await session.Completion.Bound();
        Assert.StartsWith("write timeout", session.EndReason);
        await Assert.ThrowsAsync<MuxException>(() => writing.Bound());
    }

    [Fact]
    public async Task HalfClosedStream_ThePeerNeverCloses_IsResetAfterTheStreamCloseTimeout()
    {
        var time = new FakeTimeProvider();
        var options = MuxOptions.Default with { StreamCloseTimeout = TimeSpan.FromMinutes(1), KeepAliveInterval = TimeSpan.Zero, WriteTimeout = TimeSpan.Zero };
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, options, options, time);
        var (opened, accepted) = await pair.OpenAsync();

        await opened.CompleteWritesAsync(Within.Token);
        Assert.Empty(await Payload.ReadToEndAsync(accepted).Bound());
        time.Advance(TimeSpan.FromMinutes(1));

        await pair.ClientToServer!.WaitForAsync(f => f.Header.StreamId == opened.Id && f.Header.Has(FrameFlags.Rst));
        var error = await Assert.ThrowsAsync<MuxException>(() => Payload.ReadOnceAsync(opened));
        Assert.Contains("did not close", error.Message);
        Assert.Equal(0, pair.Client.StreamCount);
    }

    [Fact]
    public async Task ConcurrentDisposes_AllComplete()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Tcp);
        for (var i = 0; i < 20; i++)
        {
            await pair.OpenAsync();
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await pair.Server.DisposeAsync()))).Bound();

        Assert.True(pair.Server.IsClosed);
        await pair.Client.Completion.Bound();
    }
}
