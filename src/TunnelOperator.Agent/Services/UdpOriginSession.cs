using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Datagrams;
using TunnelOperator.Protocol.ProxyProtocol;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Services;

/// <summary>
/// The agent's end of one UDP client (a STREAM_KIND_UDP stream): a connected UDP socket to the
/// origin, so the origin sees one peer per public client.
/// <list type="number">
/// <item>Framed datagrams from the stream go to the origin, each behind a PROXY v2 header
///   (transport DGRAM) when the service asks for it: UDP has no connection to put it in front of.</item>
/// <item>Datagrams from the origin go back framed.</item>
/// <item>After <c>idle</c> without a datagram either way the session ends and the stream closes.</item>
/// </list>
/// </summary>
public static class UdpOriginSession
{
    public static async Task RunAsync(MuxStream stream, AgentService service, StreamHeader header, string tenant, TimeSpan idle, TimeProvider time, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(service.OriginHost, cancellationToken).ConfigureAwait(false);
        var origin = new IPEndPoint(addresses[0], service.OriginPort);
        using var socket = new Socket(origin.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(origin, cancellationToken).ConfigureAwait(false);
        var prefix = service.ProxyProtocol == ProxyProtocolMode.V2 ? ProxyHeaders.For(header, tenant, ProxyTransport.Datagram) : [];
        var lastActivity = time.GetTimestamp();
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = ToOriginAsync(stream, socket, prefix, () => Volatile.Write(ref lastActivity, time.GetTimestamp()), end);
        var down = ToClientAsync(stream, socket, () => Volatile.Write(ref lastActivity, time.GetTimestamp()), end);
        var reaper = ReapAsync(() => Volatile.Read(ref lastActivity), idle, time, end);
        await Task.WhenAny(up, down, reaper).ConfigureAwait(false);
        await end.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(up, down, reaper).ConfigureAwait(false);
        try
        {
            await stream.CompleteWritesAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }

    private static async Task ToOriginAsync(MuxStream stream, Socket socket, byte[] prefix, Action touched, CancellationTokenSource end)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var scratch = ArrayPool<byte>.Shared.Rent(prefix.Length + DatagramFrames.MaxDatagram);
        prefix.CopyTo(scratch, 0);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(end.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (DatagramFrames.TryRead(ref buffer, out var datagram) == DatagramReadStatus.Datagram)
                {
                    datagram.CopyTo(scratch.AsSpan(prefix.Length));
                    try
                    {
                        await socket.SendAsync(scratch.AsMemory(0, prefix.Length + (int)datagram.Length), SocketFlags.None, end.Token).ConfigureAwait(false);
                    }
                    catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize or SocketError.ConnectionRefused)
                    {
                        // One datagram is lost, as UDP allows, not the client's session: one
                        // that the PROXY header pushed past the UDP maximum (65,507 bytes), or
                        // one sent while the origin's port was briefly closed.
                        continue;
                    }

                    touched();
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(scratch);
            await end.CancelAsync().ConfigureAwait(false);
        }
    }

    // Datagrams already waiting in the socket are framed into the same write (up to 64 KiB),
    // so a burst from the origin costs one mux write instead of one per datagram.
    private const int BatchBytes = 64 * 1024;

    private static async Task ToClientAsync(MuxStream stream, Socket socket, Action touched, CancellationTokenSource end)
    {
        var slot = DatagramFrames.HeaderLength + DatagramFrames.MaxDatagram;
        var buffer = ArrayPool<byte>.Shared.Rent(BatchBytes + slot);
        try
        {
            while (true)
            {
                var filled = 0;
                try
                {
                    do
                    {
                        var received = await socket.ReceiveAsync(buffer.AsMemory(filled + DatagramFrames.HeaderLength, DatagramFrames.MaxDatagram), SocketFlags.None, end.Token).ConfigureAwait(false);
                        DatagramFrames.WriteHeader(buffer.AsSpan(filled), received);
                        filled += DatagramFrames.HeaderLength + received;
                    }
                    while (filled < BatchBytes && socket.Available > 0);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    // ICMP port unreachable for an earlier datagram: the origin may come up later.
                    if (filled == 0)
                    {
                        continue;
                    }
                }

                await stream.WriteAsync(buffer.AsMemory(0, filled), end.Token).ConfigureAwait(false);
                touched();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await end.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task ReapAsync(Func<long> lastActivity, TimeSpan idle, TimeProvider time, CancellationTokenSource end)
    {
        var tick = idle / 4 > TimeSpan.FromMilliseconds(50) ? idle / 4 : TimeSpan.FromMilliseconds(50);
        using var timer = new PeriodicTimer(tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(end.Token).ConfigureAwait(false))
            {
                if (time.GetElapsedTime(lastActivity()) >= idle)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
