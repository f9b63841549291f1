using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Forwards;

public sealed partial class ForwardClient
{
    /// <summary>
    /// One local UDP peer's flow: its datagrams queue (bounded, dropping when full, as UDP may)
    /// until the forward stream is open, then go out framed; the server's frames go back to the
    /// peer from the local port. Idle for the timeout both ways, it half-closes the stream.
    /// </summary>
    private sealed class UdpClientFlow : IDisposable
    {
        private const int QueueLength = 256;

        // A refused peer keeps its (dead) flow this long, so that a chatty peer does not open a
        // stream per datagram while the answer stays the same.
        private static readonly TimeSpan RefusedCooldown = TimeSpan.FromSeconds(2);

        private readonly ForwardClient _owner;
        private readonly Channel<(byte[] Buffer, int Length)> _outbound;
        private readonly IdleTimer _idle;

        public UdpClientFlow(ForwardClient owner, IPEndPoint peer)
        {
            _owner = owner;
            Peer = peer;
            _idle = new IdleTimer(owner._options.UdpIdleTimeout, owner._time);
            _outbound = Channel.CreateBounded<(byte[] Buffer, int Length)>(
                new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = true },
                dropped => ArrayPool<byte>.Shared.Return(dropped.Buffer));
        }

        public IPEndPoint Peer { get; }

        public void Enqueue(ReadOnlySpan<byte> datagram)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(datagram.Length, 1));
            datagram.CopyTo(buffer);
            if (!_outbound.Writer.TryWrite((buffer, datagram.Length)))
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public async Task RunAsync(CancellationToken ct)
        {
            var opened = await _owner.OpenForwardAsync(probe: false, ct).ConfigureAwait(false);
            if (opened.Reply.Status != ForwardStatus.Ok || opened.Stream is not { } stream)
            {
                LogFlowRefused(_owner._logger, Peer.ToString(), ForwardReplies.Explain(opened.Reply, _owner._options.ServerId));
                await opened.DisposeAsync().ConfigureAwait(false);
                _outbound.Writer.TryComplete();
                await Task.Delay(RefusedCooldown, _owner._time, ct).ConfigureAwait(false);
                return;
            }

            LogFlowForwarded(_owner._logger, Peer.ToString(), _owner._options.Source.ToString(), opened.Reply.RemoteAddress);
            await using (stream.ConfigureAwait(false))
            {
                using var end = CancellationTokenSource.CreateLinkedTokenSource(ct);
                _idle.Touch();
                var toServer = PumpOutboundAsync(stream, end.Token);
                var fromServer = DatagramStream.ReadAllAsync(opened.Reader!, async (datagram, token) =>
                {
                    _idle.Touch();
                    try
                    {
                        await _owner._listener.SendToAsync(datagram, SocketFlags.None, Peer, token).ConfigureAwait(false);
                    }
                    catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                    {
                        // The peer has gone; the flow ends when it is idle.
                    }
                }, end.Token);
                var idle = _idle.WaitIdleAsync(end.Token);
                var first = await Task.WhenAny(toServer, fromServer, idle).ConfigureAwait(false);
                if (first == idle && idle.IsCompletedSuccessfully)
                {
                    LogFlowIdle(_owner._logger, Peer.ToString());
                    try
                    {
                        await stream.CompleteWritesAsync(ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or ObjectDisposedException)
                    {
                    }
                }

                _outbound.Writer.TryComplete();
                await end.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(Quietly(toServer), Quietly(fromServer), Quietly(idle)).ConfigureAwait(false);
                await opened.Reader!.CompleteAsync().ConfigureAwait(false);
            }
        }

        private async Task PumpOutboundAsync(MuxStream stream, CancellationToken ct)
        {
            await foreach (var (buffer, length) in _outbound.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    _idle.Touch();
                    await DatagramStream.WriteAsync(stream, buffer.AsMemory(0, length), ct).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
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

        public void Dispose()
        {
            _outbound.Writer.TryComplete();
            while (_outbound.Reader.TryRead(out var item))
            {
                ArrayPool<byte>.Shared.Return(item.Buffer);
            }
        }
    }
}
