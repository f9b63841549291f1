using System.Buffers;
using System.IO.Pipelines;
using TunnelOperator.Protocol.Datagrams;

namespace TunnelOperator.Agent.Forwards;

/// <summary>
/// UDP datagrams on a forward stream, framed by the shared <see cref="DatagramFrames"/> codec
/// (2-byte big-endian length, then the payload; up to 65,535 bytes, every UDP payload).
/// </summary>
internal static class DatagramStream
{
    /// <summary>Writes one datagram as a single frame (one write, so frames never interleave).</summary>
    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        var total = DatagramFrames.HeaderLength + datagram.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            DatagramFrames.WriteHeader(buffer, datagram.Length);
            datagram.CopyTo(buffer.AsMemory(DatagramFrames.HeaderLength));
            await stream.WriteAsync(buffer.AsMemory(0, total), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads frames until the stream ends, handing each datagram (contiguous, valid only for the
    /// call) to <paramref name="deliver"/>. A stream that ends inside a frame is truncated input
    /// and ends the loop like a clean end.
    /// </summary>
    public static async Task ReadAllAsync(PipeReader reader, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> deliver, CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(DatagramFrames.MaxDatagram);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
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

                    await deliver(payload, cancellationToken).ConfigureAwait(false);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
