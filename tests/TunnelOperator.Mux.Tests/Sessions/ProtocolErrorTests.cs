using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Sessions;

/// <summary>
/// An "evil peer" on a raw loopback socket sends frames that break the spec; the session
/// must answer GoAway(ProtocolError), end, and say why.
/// </summary>
public sealed class ProtocolErrorTests
{
    private const int Window = MuxOptions.InitialWindow;

    public static TheoryData<string> Violations => [.. Cases.Keys];

    // Each case runs against a server session (the peer is the client: odd ids).
    private static readonly Dictionary<string, Func<RawPeer, Task>> Cases = new()
    {
        ["unknown version"] = p => p.SendAsync(new FrameHeader(FrameType.Ping, FrameFlags.Syn, 0, 1, Version: 1)),
        ["unknown type"] = p => p.SendAsync((FrameType)4, FrameFlags.None, 0, 0),
        ["data on stream 0"] = p => p.SendDataAsync(0, new byte[4]),
        ["window update on stream 0"] = p => p.SendAsync(FrameType.WindowUpdate, FrameFlags.None, 0, 100),
        ["ping on a stream id"] = p => p.SendAsync(FrameType.Ping, FrameFlags.Syn, 1, 7),
        ["go away on a stream id"] = p => p.SendAsync(FrameType.GoAway, FrameFlags.None, 3, 0),
        ["data frame larger than the window cap"] = p => p.SendAsync(FrameType.Data, FrameFlags.Syn, 1, Window + 1),
        ["syn with the server's parity"] = p => p.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 2, 0),
        ["syn for a live stream"] = async p =>
        {
            await p.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
            await p.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
        },
        ["data beyond the granted window"] = async p =>
        {
            await p.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
            await p.SendDataAsync(1, new byte[Window]);
            await p.SendDataAsync(1, new byte[1]);
        },
        ["data after fin"] = async p =>
        {
            await p.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn | FrameFlags.Fin, 1, 0);
            await p.SendDataAsync(1, new byte[1]);
        },
        ["second fin"] = async p =>
        {
            await p.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn | FrameFlags.Fin, 1, 0);
            await p.SendAsync(FrameType.WindowUpdate, FrameFlags.Fin, 1, 0);
        },
        ["send window overflow"] = async p =>
        {
            await p.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
            await p.SendAsync(FrameType.WindowUpdate, FrameFlags.None, 1, uint.MaxValue);
        },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Violation_IsAnsweredWithGoAwayProtocolError_AndEndsTheSession(string violation)
    {
        var (sessionSide, peerSide) = await LoopbackTcp.CreatePairAsync();
        await using var session = MuxSession.CreateServer(sessionSide, MuxOptions.Default with { ReceiveWindow = Window }, TimeProvider.System, TestLogger.For("server"));
        await using var peer = new RawPeer(DuplexPipe.FromStream(peerSide));

        await Cases[violation](peer);

        var frames = await peer.ReadToEndAsync().Bound();
        Assert.Contains(frames, h => h.Type == FrameType.GoAway && h.Length == (uint)MuxGoAwayCode.ProtocolError);
        Assert.Equal(FrameType.GoAway, frames[^1].Type);
        await session.Completion.Bound();
        Assert.True(session.IsClosed);
        Assert.StartsWith("protocol error", session.EndReason);
        Assert.Null(await session.AcceptStreamAsync(Within.Token).Bound());
    }

    [Fact]
    public async Task DataForAnUnknownStream_IsDiscarded_AndPingsAreStillAnswered()
    {
        var (sessionSide, peerSide) = await LoopbackTcp.CreatePairAsync();
        await using var session = MuxSession.CreateServer(sessionSide, MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
        await using var peer = new RawPeer(DuplexPipe.FromStream(peerSide));

        await peer.SendDataAsync(41, new byte[70_000]);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.None, 43, 1000);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Rst, 45, 0);
        await peer.SendAsync(FrameType.Ping, FrameFlags.Syn, 0, 0xC0FFEE);

        var pong = await peer.ExpectAsync(h => h.Type == FrameType.Ping, "the ping answer");
        Assert.Equal(new FrameHeader(FrameType.Ping, FrameFlags.Ack, 0, 0xC0FFEE), pong.Header);
        Assert.False(session.IsClosed);
    }

    [Fact]
    public async Task TransportClosedMidFrame_EndsTheSessionWithAReason()
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
        var peer = new RawPeer(peerEnd);

        await peer.SendRawAsync(new byte[] { 0, 2, 0 });
        await peer.DisposeAsync();

        await session.Completion.Bound();
        Assert.Contains("middle of a frame", session.EndReason);
    }
}
