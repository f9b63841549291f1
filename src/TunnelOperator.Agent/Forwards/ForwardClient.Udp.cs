using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using TunnelOperator.Protocol.Datagrams;

namespace TunnelOperator.Agent.Forwards;

public sealed partial class ForwardClient
{
    /// <summary>
    /// The local UDP port: every datagram is dispatched to the flow of the peer that sent it,
    /// created on that peer's first datagram. Flows end when idle (or when the server ends
    /// them); the peer's next datagram starts a new one.
    /// </summary>
    private async Task ServeUdpAsync(CancellationToken ct)
    {
        var flows = new ConcurrentDictionary<IPEndPoint, UdpClientFlow>();
        var inflight = new List<Task>();
        var buffer = ArrayPool<byte>.Shared.Rent(DatagramFrames.MaxDatagram);
        EndPoint any = _options.Target.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        var warnedFull = false;
        try
        {
            while (true)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _listener.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
                {
                    // An ICMP error for an answer sent to a peer that has gone; others carry on.
                    continue;
                }

                var peer = (IPEndPoint)received.RemoteEndPoint;
                if (!flows.TryGetValue(peer, out var flow))
                {
                    if (flows.Count >= _options.MaxUdpFlows)
                    {
                        if (!warnedFull)
                        {
                            LogTooManyFlows(_logger, _options.MaxUdpFlows);
                            warnedFull = true;
                        }

                        continue;
                    }

                    warnedFull = false;
                    flow = new UdpClientFlow(this, peer);
                    flows[peer] = flow;
                    inflight.RemoveAll(t => t.IsCompleted);
                    inflight.Add(RunFlowAsync(flow, flows, ct));
                }

                flow.Enqueue(buffer.AsSpan(0, received.ReceivedBytes));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await Task.WhenAll(inflight).ConfigureAwait(false);
        }
    }

    private async Task RunFlowAsync(UdpClientFlow flow, ConcurrentDictionary<IPEndPoint, UdpClientFlow> flows, CancellationToken ct)
    {
        try
        {
            await flow.RunAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            LogFlowFailed(_logger, flow.Peer.ToString(), e.Message);
        }
        finally
        {
            flows.TryRemove(new KeyValuePair<IPEndPoint, UdpClientFlow>(flow.Peer, flow));
            flow.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "dropping datagrams of new UDP peers: {Max} flows are already open")]
    private static partial void LogTooManyFlows(ILogger logger, int max);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP flow of {Peer} ended with an error: {Reason}")]
    private static partial void LogFlowFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "UDP peer {Peer} forwarded to {Source} ({Remote})")]
    private static partial void LogFlowForwarded(ILogger logger, string peer, string source, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "datagrams from {Peer} not forwarded: {Explanation}")]
    private static partial void LogFlowRefused(ILogger logger, string peer, string explanation);

    [LoggerMessage(Level = LogLevel.Information, Message = "UDP flow of {Peer} closed after being idle")]
    private static partial void LogFlowIdle(ILogger logger, string peer);
}
