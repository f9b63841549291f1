using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Splicing;

/// <summary>
/// The agent's use: a mux stream spliced to a TCP origin on loopback, driven from the other
/// end of the mux (the edge's side).
/// </summary>
public sealed class StreamSpliceTests
{
    [Fact]
    public async Task Splice_CarriesBytesBothWays_AndPropagatesHalfClosesBothWays()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Tcp);
        var (edgeSide, agentSide) = await pair.OpenAsync(fromClient: false);
        var (origin, originPeer) = await LoopbackTcp.CreatePairAsync();
        var splice = StreamSplice.RunAsync(agentSide, origin, Within.Token);
        var request = Payload.Pattern(1, 3 * 1024 * 1024);
        var response = Payload.Pattern(2, 2 * 1024 * 1024);

        // The origin reads the whole request (EOF proves the mux FIN became a TCP shutdown)...
        var originWork = Task.Run(async () =>
        {
            var got = await Payload.ReadToEndAsync(originPeer);
            await originPeer.WriteAsync(response, Within.Token);
            originPeer.Socket.Shutdown(SocketShutdown.Send);
            return got;
        });
        await edgeSide.WriteAsync(request, Within.Token);
        await edgeSide.CompleteWritesAsync(Within.Token);

        // ...and its shutdown reaches the edge as the end of the mux stream.
        var answer = await Payload.ReadToEndAsync(edgeSide).Bound();
        Assert.Equal(request, await originWork.Bound());
        Assert.Equal(response, answer);
        await splice.Bound();
    }

    [Fact]
    public async Task Splice_ToATlsOrigin_HalfClosesWithCloseNotify()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (edgeSide, agentSide) = await pair.OpenAsync(fromClient: false);
        var (clientTcp, serverTcp) = await LoopbackTcp.CreatePairAsync();
        using var certificate = SelfSigned("localhost");
        await using var tlsOrigin = new SslStream(serverTcp);
        // Pinned to the one certificate this test made.
        await using var tlsClient = new SslStream(clientTcp, leaveInnerStreamOpen: false, (_, presented, _, _) => presented?.GetCertHashString() == certificate.Thumbprint);
        await Task.WhenAll(
            tlsOrigin.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, Within.Token),
            tlsClient.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, Within.Token)).Bound();
        var splice = StreamSplice.RunAsync(agentSide, tlsClient, Within.Token);

        var originWork = Task.Run(async () =>
        {
            var got = await Payload.ReadToEndAsync(tlsOrigin); // ends at the client's close_notify
            await tlsOrigin.WriteAsync(got.Reverse().ToArray(), Within.Token);
            await tlsOrigin.ShutdownAsync();
            return got;
        });
        await edgeSide.WriteAsync("over tls"u8.ToArray(), Within.Token);
        await edgeSide.CompleteWritesAsync(Within.Token);

        Assert.Equal("slt revo", Encoding.ASCII.GetString(await Payload.ReadToEndAsync(edgeSide).Bound()));
        Assert.Equal("over tls", Encoding.ASCII.GetString(await originWork.Bound()));
        await splice.Bound();
    }

    [Fact]
    public async Task Splice_OriginResets_AbortsTheMuxStream_AndReturnsNormally()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Tcp);
        var (edgeSide, agentSide) = await pair.OpenAsync(fromClient: false);
        var (origin, originPeer) = await LoopbackTcp.CreatePairAsync();
        var splice = StreamSplice.RunAsync(agentSide, origin, Within.Token);
        await edgeSide.WriteAsync("hello"u8.ToArray(), Within.Token);
        await Payload.ReadExactlyAsync(originPeer, 5).Bound();

        originPeer.Socket.LingerState = new LingerOption(true, 0); // close with RST
        originPeer.Socket.Close();

        await splice.Bound();
        var error = await Assert.ThrowsAsync<MuxException>(() => Payload.ReadToEndAsync(edgeSide).Bound());
        Assert.Contains("reset by the peer", error.Message);
    }

    [Fact]
    public async Task Splice_Cancelled_ReturnsPromptly_AndResetsTheMuxStream()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (edgeSide, agentSide) = await pair.OpenAsync(fromClient: false);
        var (origin, _) = await LoopbackTcp.CreatePairAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Within.Token);
        var splice = StreamSplice.RunAsync(agentSide, origin, cancel.Token);

        await cancel.CancelAsync();

        await splice.Bound();
        await Assert.ThrowsAsync<MuxException>(() => Payload.ReadOnceAsync(edgeSide).Bound());
    }

    [Fact]
    public async Task Splice_BetweenTwoMuxStreams_RelaysBothWays()
    {
        // A relay: stream A of one session spliced to stream B of another.
        await using var left = await SessionPair.CreateAsync(TransportKind.Memory);
        await using var right = await SessionPair.CreateAsync(TransportKind.Memory);
        var (leftOuter, leftInner) = await left.OpenAsync();
        var (rightInner, rightOuter) = await right.OpenAsync();
        var splice = StreamSplice.RunAsync(leftInner, rightInner, Within.Token);

        var echo = Task.Run(async () =>
        {
            var got = await Payload.ReadToEndAsync(rightOuter);
            await rightOuter.WriteAsync(got.Reverse().ToArray(), Within.Token);
            await rightOuter.CompleteWritesAsync(Within.Token);
        });
        await leftOuter.WriteAsync(Encoding.ASCII.GetBytes("relay me"), Within.Token);
        await leftOuter.CompleteWritesAsync(Within.Token);

        Assert.Equal("em yaler", Encoding.ASCII.GetString(await Payload.ReadToEndAsync(leftOuter).Bound()));
        await echo.Bound();
        await splice.Bound();
    }

    [Fact]
    public async Task Splice_ToAStreamWithoutHalfClose_FinishesWhenTheOtherDirectionEnds()
    {
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory);
        var (edgeSide, agentSide) = await pair.OpenAsync(fromClient: false);
        var (origin, originPeer) = await LoopbackTcp.CreatePairAsync();
        var opaque = new OpaqueStream(origin); // no socket reachable: no half-close possible
        var splice = StreamSplice.RunAsync(agentSide, opaque, Within.Token);

        await edgeSide.CompleteWritesAsync(Within.Token);
        await originPeer.WriteAsync("bye"u8.ToArray(), Within.Token);
        originPeer.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal("bye", Encoding.ASCII.GetString(await Payload.ReadToEndAsync(edgeSide).Bound()));
        await splice.Bound();
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Hides the NetworkStream's type, as a wrapping stream (an upgraded HTTP connection) does.</summary>
    private sealed class OpaqueStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
