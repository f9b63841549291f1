using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Datagrams;

namespace TunnelOperator.Agent.Forwards;

/// <summary>
/// The server's end of one UDP flow: datagrams framed on the forward stream go to a UDP
/// socket connected to the source, and the source's answers come back framed. The flow ends
/// when the client closes the stream, or when it has been idle both ways for the timeout, in
/// which case the server half-closes the stream so the client forgets the flow too.
/// </summary>
internal sealed class UdpTargetFlow(MuxStream stream, PipeReader reader, Socket socket, TimeSpan idleTimeout, TimeProvider time)
{
    private readonly IdleTimer _idle = new(idleTimeout, time);

    /// <returns>True when the flow ended for being idle.</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fromClient = DatagramStream.ReadAllAsync(reader, async (datagram, ct) =>
        {
            _idle.Touch();
            await socket.SendAsync(datagram, SocketFlags.None, ct).ConfigureAwait(false);
        }, end.Token);
        var toClient = PumpAnswersAsync(end.Token);
        var idle = _idle.WaitIdleAsync(end.Token);
        var first = await Task.WhenAny(fromClient, toClient, idle).ConfigureAwait(false);
        var wasIdle = first == idle && idle.IsCompletedSuccessfully;
        if (first != toClient)
        {
            // The client is done, or nobody spoke for the timeout: tell the client with FIN.
            try
            {
                await stream.CompleteWritesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        }

        await end.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(Quietly(fromClient), Quietly(toClient), Quietly(idle)).ConfigureAwait(false);
        return wasIdle;
    }

    private async Task PumpAnswersAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DatagramFrames.MaxDatagram);
        try
        {
            while (true)
            {
                int received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    // An ICMP error for an earlier datagram (nothing listening yet): UDP carries on.
                    continue;
                }

                _idle.Touch();
                await DatagramStream.WriteAsync(stream, buffer.AsMemory(0, received), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }
}
