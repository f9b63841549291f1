using System.Text;
using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Sessions;

/// <summary>
/// What a reader gets of data that arrived just before its stream or session ended: a last
/// message written right before a reset or a close must not be lost, while our own abort
/// throws away what nobody will read.
/// </summary>
public sealed class DataAtTheEndTests
{
    [Fact]
    public async Task DataThenRst_TheDataIsRead_ThenTheResetIsReported()
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
        await using var peer = new RawPeer(peerEnd);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
        await peer.SendDataAsync(1, "last words"u8.ToArray());
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Rst, 1, 0);
        await RoundTripAsync(peer);

        var stream = (await session.AcceptStreamAsync(Within.Token).Bound())!;

        Assert.Equal("last words", Encoding.ASCII.GetString(await Payload.ReadExactlyAsync(stream, 10).Bound()));
        var error = await Assert.ThrowsAsync<MuxException>(() => Payload.ReadOnceAsync(stream));
        Assert.Contains("reset by the peer", error.Message);
        await Assert.ThrowsAsync<MuxException>(async () => await stream.WriteAsync(new byte[1], Within.Token));
    }

    [Fact]
    public async Task DataFinThenRst_ReadsTheDataThenEof()
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
        await using var peer = new RawPeer(peerEnd);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
        await peer.SendDataAsync(1, "complete"u8.ToArray(), FrameFlags.Fin);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Rst, 1, 0);
        await RoundTripAsync(peer);

        var stream = (await session.AcceptStreamAsync(Within.Token).Bound())!;

        Assert.Equal("complete", Encoding.ASCII.GetString(await Payload.ReadToEndAsync(stream).Bound()));
    }

    [Fact]
    public async Task DataThenTransportClose_TheDataIsRead_ThenTheSessionEndIsReported()
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
        var peer = new RawPeer(peerEnd);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
        await peer.SendDataAsync(1, "goodbye"u8.ToArray());
        var stream = (await session.AcceptStreamAsync(Within.Token).Bound())!;

        await peer.DisposeAsync();
        await session.Completion.Bound();

        Assert.Equal("goodbye", Encoding.ASCII.GetString(await Payload.ReadExactlyAsync(stream, 7).Bound()));
        var error = await Assert.ThrowsAsync<MuxException>(() => Payload.ReadOnceAsync(stream));
        Assert.Contains("session has ended", error.Message);
    }

    [Fact]
    public async Task OurAbort_DropsUnreadData_AndReadsFailAtOnce()
    {
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
        await using var peer = new RawPeer(peerEnd);
        await peer.SendAsync(FrameType.WindowUpdate, FrameFlags.Syn, 1, 0);
        await peer.SendDataAsync(1, "unread"u8.ToArray());
        await RoundTripAsync(peer);
        var stream = (await session.AcceptStreamAsync(Within.Token).Bound())!;

        stream.Abort();

        var error = await Assert.ThrowsAsync<MuxException>(() => Payload.ReadOnceAsync(stream));
        Assert.Contains("aborted", error.Message);
        await peer.ExpectAsync(h => h.StreamId == 1 && h.Has(FrameFlags.Rst), "the RST");
    }

    /// <summary>Returns once the session has handled everything the peer sent before.</summary>
    private static async Task RoundTripAsync(RawPeer peer)
    {
        await peer.SendAsync(FrameType.Ping, FrameFlags.Syn, 0, 77);
        await peer.ExpectAsync(h => h.Type == FrameType.Ping && h.Has(FrameFlags.Ack) && h.Length == 77, "the ping answer");
    }
}
