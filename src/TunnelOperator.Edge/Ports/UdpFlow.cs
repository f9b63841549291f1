using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Datagrams;

namespace TunnelOperator.Edge.Ports;

/// <summary>
/// One UDP client of a declared port: its datagrams go to the agent on one STREAM_KIND_UDP
/// stream, framed as length + payload, and the agent's framed replies go back to the client.
/// Datagrams queue in a bounded channel while the stream opens; when it is full they are
/// dropped, as a congested UDP path would.
/// </summary>
internal sealed class UdpFlow : IDisposable
{
    private const int QueueCapacity = 512;

    private readonly Channel<(byte[] Buffer, int Length)> _outbound = Channel.CreateBounded<(byte[], int)>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = true });

    private readonly CancellationTokenSource _closed = new();
    private long _lastActivity;

    public UdpFlow(SocketAddress address, long now)
    {
        Address = address;
        Client = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(address);
        _lastActivity = now;
    }

    /// <summary>The client's address as the socket calls take it (no conversion per datagram).</summary>
    public SocketAddress Address { get; }

    public IPEndPoint Client { get; }

    public long LastActivity => Volatile.Read(ref _lastActivity);

    public CancellationToken Closed => _closed.Token;

    public void Touch(long now) => Volatile.Write(ref _lastActivity, now);

    /// <summary>Queues a copy of a datagram from the client; false when the queue is full (dropped).</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(1, datagram.Length) + DatagramFrames.HeaderLength);
        DatagramFrames.WriteHeader(copy, datagram.Length);
        datagram.CopyTo(copy.AsSpan(DatagramFrames.HeaderLength));
        if (_outbound.Writer.TryWrite((copy, datagram.Length + DatagramFrames.HeaderLength)))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(copy);
        return false;
    }

    /// <summary>
    /// Client → agent: writes queued datagrams as frames until the flow closes. Datagrams that
    /// queued up meanwhile go out together in one mux write (up to 64 KiB), so a burst costs
    /// one TLS record and one send instead of one per datagram.
    /// </summary>
    public async Task PumpToAgentAsync(MuxStream stream, Action<long> touched, Func<long> now)
    {
        var ct = _closed.Token;
        var batch = ArrayPool<byte>.Shared.Rent(BatchBytes + DatagramFrames.HeaderLength + DatagramFrames.MaxDatagram);
        try
        {
            while (await _outbound.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                var filled = 0;
                while (filled < BatchBytes && _outbound.Reader.TryRead(out var item))
                {
                    item.Buffer.AsSpan(0, item.Length).CopyTo(batch.AsSpan(filled));
                    filled += item.Length;
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }

                await stream.WriteAsync(batch.AsMemory(0, filled), ct).ConfigureAwait(false);
                touched(now());
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
            Close();
        }
    }

    private const int BatchBytes = 64 * 1024;

    /// <summary>Agent → client: sends each framed datagram the agent writes back to the client.</summary>
    public async Task PumpToClientAsync(MuxStream stream, Func<ReadOnlyMemory<byte>, SocketAddress, CancellationToken, ValueTask> send, Action<long> touched, Func<long> now)
    {
        var ct = _closed.Token;
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var scratch = ArrayPool<byte>.Shared.Rent(DatagramFrames.MaxDatagram);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (DatagramFrames.TryRead(ref buffer, out var datagram) == DatagramReadStatus.Datagram)
                {
                    ReadOnlyMemory<byte> payload;
                    if (datagram.IsSingleSegment)
                    {
                        payload = datagram.First;
                    }
                    else
                    {
                        datagram.CopyTo(scratch);
                        payload = scratch.AsMemory(0, (int)datagram.Length);
                    }

                    await send(payload, Address, ct).ConfigureAwait(false);
                    touched(now());
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(scratch);
            Close();
        }
    }

    public void Dispose()
    {
        Close();
        _closed.Dispose();
    }

    public void Close()
    {
        _outbound.Writer.TryComplete();
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        while (_outbound.Reader.TryRead(out var item))
        {
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
    }
}
