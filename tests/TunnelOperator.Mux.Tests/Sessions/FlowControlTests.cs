using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Sessions;

public sealed class FlowControlTests
{
    private const int Window = 512 * 1024;

    [Fact]
    public async Task WriterToANonReadingPeer_StopsAfterExactlyTheGrantedWindow_AndResumesWhenItReads()
    {
        var options = MuxOptions.Default with { ReceiveWindow = Window };
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, options, options);
        var (opened, accepted) = await pair.OpenAsync();
        var payload = Payload.Pattern(1, Window + 10_000);

        var writing = opened.WriteAsync(payload, Within.Token).AsTask();
        await pair.ClientToServer!.WaitForDataAsync(opened.Id, Window);

        // A byte more would be past the window, which the server treats as a protocol error.
        Assert.False(writing.IsCompleted);
        Assert.Equal(Window, pair.ClientToServer.DataBytes(opened.Id));
        Assert.DoesNotContain(pair.ServerToClient!.Frames, f => f.Header.StreamId == opened.Id && f.Header.Flags == FrameFlags.None);

        var received = await Payload.ReadExactlyAsync(accepted, payload.Length).Bound();
        await writing.Bound();
        Assert.Equal(payload, received);
        Assert.False(pair.Server.IsClosed);
    }

    [Fact]
    public async Task WindowUpdates_FollowConsumption_AtHalfTheWindow_NotArrival()
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, MuxOptions.Default with { ReceiveWindow = Window }, TimeProvider.System, TestLogger.For("server"));
        await using var peer = new RawPeer(peerEnd);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
        var stream = (await session.AcceptStreamAsync(Within.Token).Bound())!;
        var ack = await peer.ExpectAsync(h => h.StreamId == 1, "the ACK");
        Assert.Equal(new FrameHeader(FrameType.WindowUpdate, FrameFlags.Ack, 1, Window - MuxOptions.InitialWindow), ack.Header);

        // 1. The whole window arrives; nothing is read, so nothing is credited back.
        await peer.SendDataAsync(1, Payload.Pattern(1, Window));
        await AssertNextFrameIsPingAnswerAsync(peer, 1);

        // 2. One byte short of half the window read: still nothing.
        await Payload.ReadExactlyAsync(stream, (Window / 2) - 1).Bound();
        await AssertNextFrameIsPingAnswerAsync(peer, 2);

        // 3. Half read: exactly that much is credited back.
        await Payload.ReadExactlyAsync(stream, 1).Bound();
        var update = await peer.ReadFrameAsync();
        Assert.Equal(new FrameHeader(FrameType.WindowUpdate, FrameFlags.None, 1, Window / 2), update?.Header);

        // 4. The peer may now send exactly that much again, and not a byte more.
        await peer.SendDataAsync(1, new byte[Window / 2]);
        await AssertNextFrameIsPingAnswerAsync(peer, 3);
        Assert.False(session.IsClosed);
        await peer.SendDataAsync(1, new byte[1]);
        var frames = await peer.ReadToEndAsync().Bound();
        Assert.Contains(frames, h => h.Type == FrameType.GoAway && h.Length == (uint)MuxGoAwayCode.ProtocolError);
        Assert.Contains("exceeds the receive window", session.EndReason);
    }

    [Fact]
    public async Task ConsumingSlowly_SendsOneUpdatePerHalfWindow()
    {
        var options = MuxOptions.Default with { ReceiveWindow = Window };
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, options, options);
        var (opened, accepted) = await pair.OpenAsync();
        const int Total = 4 * Window;

        var writing = opened.WriteAsync(Payload.Pattern(2, Total), Within.Token).AsTask();
        var received = 0;
        var buffer = new byte[10_000];
        while (received < Total)
        {
            received += await accepted.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, Total - received)), Within.Token).AsTask().Bound();
        }

        await writing.Bound();
        var updates = pair.ServerToClient!.Frames.Where(f => f.Header.StreamId == opened.Id && f.Header.Flags == FrameFlags.None).ToList();
        Assert.All(updates, u => Assert.True(u.Header.Length >= Window / 2, $"delta {u.Header.Length}"));
        Assert.InRange(updates.Count, (Total / (Window / 2)) - 2, Total / (Window / 2));
    }

    [Fact]
    public async Task WriteBlockedOnTheWindow_CanBeCancelled_AndTheStreamStaysUsable()
    {
        var options = MuxOptions.Default with { ReceiveWindow = MuxOptions.InitialWindow };
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, options, options);
        var (opened, accepted) = await pair.OpenAsync();
        await opened.WriteAsync(new byte[MuxOptions.InitialWindow], Within.Token);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Within.Token);

        var blocked = opened.WriteAsync(new byte[10], cancel.Token).AsTask();
        Assert.False(blocked.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.Bound());

        var reading = Payload.ReadExactlyAsync(accepted, MuxOptions.InitialWindow + 3);
        await opened.WriteAsync(new byte[] { 1, 2, 3 }, Within.Token).AsTask().Bound();
        var all = await reading.Bound();
        Assert.Equal(new byte[] { 1, 2, 3 }, all[^3..]);
    }

    private static async Task AssertNextFrameIsPingAnswerAsync(RawPeer peer, uint value)
    {
        // The ping answer is queued behind anything the session queued before it.
        await peer.SendAsync(FrameType.Ping, FrameFlags.Syn, 0, value);
        var next = await peer.ReadFrameAsync();
        Assert.Equal(new FrameHeader(FrameType.Ping, FrameFlags.Ack, 0, value), next?.Header);
    }
}
