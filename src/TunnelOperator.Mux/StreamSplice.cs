using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;

namespace TunnelOperator.Mux;

/// <summary>
/// Copies bytes both ways between two streams until both directions are done: a mux stream
/// and its origin connection, or an upgraded client connection and its tunnel.
/// <list type="number">
/// <item>Each direction reads into a pooled buffer, writes, and flushes, so interactive
///   traffic (WebSockets, SSE) is never held back. A mux stream source skips the buffer: its
///   receive buffer is written out directly (<see cref="MuxStream.CopyToAsync(Stream, int, CancellationToken)"/>).</item>
/// <item>When a direction reads EOF it half-closes its destination (FIN on a mux stream,
///   TLS close_notify, TCP shutdown on a socket) and the other direction carries on.</item>
/// <item>An error in either direction aborts both: mux streams are reset, other streams see
///   their pending operations cancelled.</item>
/// <item>Cancellation aborts both the same way and returns normally.</item>
/// </list>
/// Failures are ordinary network events here, so the method returns normally for them too;
/// it never disposes the streams, which belong to the caller.
/// </summary>
public static class StreamSplice
{
    private const int BufferSize = 64 * 1024;

    public static async Task RunAsync(Stream a, Stream b, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var aborting = abort.Token.Register(static state =>
        {
            var (first, second) = ((Stream, Stream))state!;
            (first as MuxStream)?.Abort();
            (second as MuxStream)?.Abort();
        }, (a, b));

        var forward = PumpAsync(a, b, abort);
        var backward = PumpAsync(b, a, abort);
        await Task.WhenAll(forward, backward).ConfigureAwait(false);
    }

    private static async Task PumpAsync(Stream source, Stream destination, CancellationTokenSource abort)
    {
        var ct = abort.Token;
        try
        {
            if (source is MuxStream mux)
            {
                // Straight from the stream's receive buffer, flushed per batch: no staging buffer.
                await mux.CopyToAsync(destination, ct).ConfigureAwait(false);
            }
            else
            {
                await CopyThroughBufferAsync(source, destination, ct).ConfigureAwait(false);
            }

            await HalfCloseAsync(destination, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException or NotSupportedException or HttpRequestException)
        {
            await abort.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task CopyThroughBufferAsync(Stream source, Stream destination, CancellationToken ct)
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    // Park on a zero-byte read while idle so a quiet splice holds no buffer
                    // (as YARP's StreamCopier does); streams without support return at once.
                    await source.ReadAsync(Memory<byte>.Empty, ct).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                }

                var read = await source.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                await destination.FlushAsync(ct).ConfigureAwait(false);
                if (read < buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Tells the destination's reader that no more bytes come, where the stream type allows it.</summary>
    public static async Task HalfCloseAsync(Stream destination, CancellationToken ct)
    {
        switch (destination)
        {
            case MuxStream mux:
                await mux.CompleteWritesAsync(ct).ConfigureAwait(false);
                break;
            case NetworkStream network:
                network.Socket.Shutdown(SocketShutdown.Send);
                break;
            case SslStream tls:
                // close_notify ends the TLS byte stream and the peer's reads return 0; TLS 1.3
                // allows reading on afterwards (RFC 8446, 6.1). The socket underneath is not
                // reachable from here, so TCP stays open until the caller disposes it.
                await tls.ShutdownAsync().ConfigureAwait(false);
                break;
            default:
                // No portable half-close: the other direction decides when the splice ends.
                break;
        }
    }
}
