using Microsoft.Extensions.Time.Testing;
using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Sessions;

/// <summary>Keepalive on a fake clock: time moves only when a test advances it.</summary>
public sealed class KeepAliveTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static readonly MuxOptions Pinging = MuxOptions.Default with
    {
        KeepAliveInterval = Interval,
        KeepAliveTimeout = Timeout,
        WriteTimeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    private static readonly MuxOptions Quiet = Pinging with { KeepAliveInterval = System.Threading.Timeout.InfiniteTimeSpan };

    [Fact]
    public async Task EachInterval_SendsAPing_ThePeerEchoesIt_AndTheSessionLives()
    {
        var time = new FakeTimeProvider();
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, client: Pinging, server: Quiet, time: time);

        for (uint round = 1; round <= 3; round++)
        {
            time.Advance(Interval);
            var ping = await pair.ClientToServer!.WaitForAsync(f => f.Header.Type == FrameType.Ping && f.Header.Has(FrameFlags.Syn) && f.Header.Length == round);
            var pong = await pair.ServerToClient!.WaitForAsync(f => f.Header.Type == FrameType.Ping && f.Header.Has(FrameFlags.Ack) && f.Header.Length == round);
            Assert.Equal(0u, ping.Header.StreamId);
            Assert.Equal(0u, pong.Header.StreamId);
            Within.SpinUntil(() => pair.Client.OutstandingPing is null, "the client has taken the answer");
        }

        time.Advance(Timeout * 1.5);
        Assert.False(pair.Client.IsClosed);
        Assert.NotNull(pair.Client.LastPingRoundTrip);
        Assert.DoesNotContain(pair.ServerToClient!.Frames, f => f.Header.Type == FrameType.Ping && f.Header.Has(FrameFlags.Syn));
    }

    [Fact]
    public async Task UnansweredPing_EndsTheSessionAfterTheTimeout()
    {
        var time = new FakeTimeProvider();
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateClient(sessionEnd, Pinging, time, TestLogger.For("client"));
        await using var peer = new RawPeer(peerEnd);
        var stream = await session.OpenStreamAsync(Within.Token);

        time.Advance(Interval);
        await peer.ExpectAsync(h => h.Type == FrameType.Ping && h.Has(FrameFlags.Syn), "the keepalive ping");
        time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(session.IsClosed);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await session.Completion.Bound();
        Assert.StartsWith("keepalive timeout", session.EndReason);
        await Assert.ThrowsAnyAsync<IOException>(() => Payload.ReadOnceAsync(stream));
        await peer.ReadToEndAsync().Bound(); // the transport is closed
    }

    [Fact]
    public async Task PeerPing_IsAnsweredWithAckEchoingItsValue()
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, Quiet, TimeProvider.System, TestLogger.For("server"));
        await using var peer = new RawPeer(peerEnd);

        await peer.SendAsync(FrameType.Ping, FrameFlags.Syn, 0, 0xFEEDFACE);

        var answer = await peer.ExpectAsync(h => h.Type == FrameType.Ping, "the answer");
        Assert.Equal(new FrameHeader(FrameType.Ping, FrameFlags.Ack, 0, 0xFEEDFACE), answer.Header);
    }

    [Fact]
    public async Task DisabledKeepAlive_SendsNoPing()
    {
        var time = new FakeTimeProvider();
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateClient(sessionEnd, Quiet, time, TestLogger.For("client"));
        await using var peer = new RawPeer(peerEnd);

        time.Advance(TimeSpan.FromHours(1));
        await peer.SendAsync(FrameType.Ping, FrameFlags.Syn, 0, 9);

        // Everything the session queued before answering would come before the answer.
        var first = await peer.ReadFrameAsync();
        Assert.Equal(new FrameHeader(FrameType.Ping, FrameFlags.Ack, 0, 9), first?.Header);
        Assert.False(session.IsClosed);
    }

    [Fact]
    public async Task LateAnswerToAnOldPing_IsIgnored()
    {
        var time = new FakeTimeProvider();
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateClient(sessionEnd, Pinging, time, TestLogger.For("client"));
        await using var peer = new RawPeer(peerEnd);

        time.Advance(Interval);
        var ping = await peer.ExpectAsync(h => h.Type == FrameType.Ping, "the ping");
        await peer.SendAsync(FrameType.Ping, FrameFlags.Ack, 0, ping.Header.Length + 100);
        await peer.SendAsync(FrameType.Ping, FrameFlags.Syn, 0, 1); // a round trip proves the bogus answer was read
        await peer.ExpectAsync(h => h.Type == FrameType.Ping && h.Has(FrameFlags.Ack), "our answer");
        time.Advance(Timeout);

        await session.Completion.Bound();
        Assert.StartsWith("keepalive timeout", session.EndReason);
    }
}
