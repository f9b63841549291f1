using System.Text;
using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Sessions;

public sealed class GoAwayTests
{
    [Theory]
    [InlineData(TransportKind.Memory, true)]
    [InlineData(TransportKind.Memory, false)]
    [InlineData(TransportKind.Tcp, true)]
    [InlineData(TransportKind.Tcp, false)]
    public async Task GoAway_StopsNewStreamsBothWays_ExistingStreamsCarryOn(TransportKind kind, bool fromClient)
    {
        await using var pair = await SessionPair.CreateAsync(kind);
        var (sender, receiver) = fromClient ? (pair.Client, pair.Server) : (pair.Server, pair.Client);
        var (opened, accepted) = await pair.OpenAsync(fromClient: !fromClient);

        await sender.GoAwayAsync(MuxGoAwayCode.Normal, Within.Token).Bound();

        // The receiver's accept queue closes when the GoAway arrives: that is the signal.
        Assert.Null(await receiver.AcceptStreamAsync(Within.Token).Bound());
        Assert.Equal(MuxGoAwayCode.Normal, receiver.RemoteGoAway);
        Assert.True(receiver.IsGoingAway && sender.IsGoingAway);
        var refused = await Assert.ThrowsAsync<MuxException>(async () => await receiver.OpenStreamAsync(Within.Token));
        Assert.Contains("peer is going away", refused.Message);
        await Assert.ThrowsAsync<MuxException>(async () => await sender.OpenStreamAsync(Within.Token));
        Assert.Null(await sender.AcceptStreamAsync(Within.Token).Bound());

        await opened.WriteAsync("still here"u8.ToArray(), Within.Token);
        Assert.Equal("still here", Encoding.ASCII.GetString(await Payload.ReadExactlyAsync(accepted, 10).Bound()));
        await accepted.WriteAsync("me too"u8.ToArray(), Within.Token);
        Assert.Equal("me too", Encoding.ASCII.GetString(await Payload.ReadExactlyAsync(opened, 6).Bound()));
        Assert.False(sender.IsClosed || receiver.IsClosed);
    }

    [Fact]
    public async Task GoAway_IsIdempotent_AndSendsOneFrame()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);

        await pair.Server.GoAwayAsync(MuxGoAwayCode.Normal, Within.Token).Bound();
        await pair.Server.GoAwayAsync(MuxGoAwayCode.Normal, Within.Token).Bound();
        Assert.Null(await pair.Client.AcceptStreamAsync(Within.Token).Bound());

        Assert.Single(pair.ServerToClient!.Frames, f => f.Header.Type == FrameType.GoAway);
    }

    [Fact]
    public async Task SynAfterOurGoAway_IsAnsweredWithRst()
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
        await using var peer = new RawPeer(peerEnd);

        await session.GoAwayAsync(MuxGoAwayCode.Normal, Within.Token).Bound();
        await peer.ExpectAsync(h => h.Type == FrameType.GoAway && h.Length == (uint)MuxGoAwayCode.Normal, "the GoAway");
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);

        await peer.ExpectAsync(h => h.StreamId == 1 && h.Has(FrameFlags.Rst), "the RST for stream 1");
        Assert.Equal(0, session.StreamCount);
        Assert.False(session.IsClosed);
    }

    [Theory]
    [InlineData(MuxGoAwayCode.ProtocolError)]
    [InlineData(MuxGoAwayCode.InternalError)]
    public async Task ErrorGoAwayFromThePeer_EndsTheSession(MuxGoAwayCode code)
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateClient(sessionEnd, MuxOptions.Default, TimeProvider.System, TestLogger.For("client"));
        await using var peer = new RawPeer(peerEnd);
        var stream = await session.OpenStreamAsync(Within.Token);

        await peer.SendAsync(FrameType.GoAway, FrameFlags.None, 0, (uint)code);

        await session.Completion.Bound();
        Assert.Equal(code, session.RemoteGoAway);
        Assert.Contains(code.ToString(), session.EndReason);
        await Assert.ThrowsAsync<MuxException>(() => Payload.ReadOnceAsync(stream));
    }
}
