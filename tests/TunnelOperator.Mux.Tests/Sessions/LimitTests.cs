using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Sessions;

public sealed class LimitTests
{
    [Fact]
    public async Task OpenStream_BeyondMaxConcurrentStreams_FailsUntilOneCloses()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, client: MuxOptions.Default with { MaxConcurrentStreams = 3 });
        var streams = new List<MuxStream>();
        for (var i = 0; i < 3; i++)
        {
            streams.Add((await pair.OpenAsync()).Opened);
        }

        var error = await Assert.ThrowsAsync<MuxException>(async () => await pair.Client.OpenStreamAsync(Within.Token));
        Assert.Contains("limit of 3", error.Message);

        streams[0].Abort();
        var (again, _) = await pair.OpenAsync();
        Assert.Equal(7u, again.Id);
    }

    [Fact]
    public async Task IncomingSyn_BeyondMaxConcurrentStreams_IsReset_AndTheSessionLives()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, server: MuxOptions.Default with { MaxConcurrentStreams = 2 });
        await pair.OpenAsync();
        await pair.OpenAsync();

        var refused = await pair.Client.OpenStreamAsync(Within.Token);

        await pair.ServerToClient!.WaitForAsync(f => f.Header.StreamId == refused.Id && f.Header.Has(FrameFlags.Rst));
        var error = await Assert.ThrowsAsync<MuxException>(() => Payload.ReadOnceAsync(refused));
        Assert.Contains("reset by the peer", error.Message);
        Assert.Equal(2, pair.Server.StreamCount);
        Assert.False(pair.Server.IsClosed);
    }

    [Fact]
    public async Task IncomingSyn_BeyondTheAcceptBacklog_IsReset_AndTakingOneMakesRoom()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, server: MuxOptions.Default with { AcceptBacklog = 2 });
        var first = await pair.Client.OpenStreamAsync(Within.Token);
        var second = await pair.Client.OpenStreamAsync(Within.Token);
        var third = await pair.Client.OpenStreamAsync(Within.Token);

        await pair.ServerToClient!.WaitForAsync(f => f.Header.StreamId == third.Id && f.Header.Has(FrameFlags.Rst));
        Assert.Equal(first.Id, (await pair.Server.AcceptStreamAsync(Within.Token).Bound())!.Id);
        var fourth = await pair.Client.OpenStreamAsync(Within.Token);
        Assert.Equal(second.Id, (await pair.Server.AcceptStreamAsync(Within.Token).Bound())!.Id);
        Assert.Equal(fourth.Id, (await pair.Server.AcceptStreamAsync(Within.Token).Bound())!.Id);
        Assert.DoesNotContain(pair.ServerToClient.Frames, f => f.Header.StreamId == fourth.Id && f.Header.Has(FrameFlags.Rst));
    }

    [Fact]
    public async Task AcceptStream_SendsAckWithTheWindowDelta_AndOpenSendsSynWithIt()
    {
        var options = MuxOptions.Default with { ReceiveWindow = 1024 * 1024 };
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, options, options);

        var (opened, _) = await pair.OpenAsync();

        var syn = await pair.ClientToServer!.WaitForAsync(f => f.Header.StreamId == opened.Id && f.Header.Has(FrameFlags.Syn));
        var ack = await pair.ServerToClient!.WaitForAsync(f => f.Header.StreamId == opened.Id && f.Header.Has(FrameFlags.Ack));
        Assert.Equal(FrameType.WindowUpdate, syn.Header.Type);
        Assert.Equal((uint)(1024 * 1024 - MuxOptions.InitialWindow), syn.Header.Length);
        Assert.Equal(FrameType.WindowUpdate, ack.Header.Type);
        Assert.Equal((uint)(1024 * 1024 - MuxOptions.InitialWindow), ack.Header.Length);
    }
}
