using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using TunnelOperator.Mux;

namespace TunnelOperator.Protocol.Streams;

/// <summary>
/// Copies bytes both ways between two streams (a socket and a mux stream) with a pipe in each
/// direction, so reading the source never waits for the destination's write to finish:
/// a mux stream write returns only once its frames are on the transport, and a plain
/// read-then-write loop would leave the socket idle for that long.
/// <list type="number">
/// <item>Per direction, one task reads the source into a <see cref="Pipe"/> (at most
///   <see cref="PauseThreshold"/> bytes ahead) and another writes what is there to the
///   destination. A mux stream source is read directly: its session already reads ahead.</item>
/// <item>EOF on a source half-closes its destination (FIN on a mux stream, TCP shutdown on a
///   socket, close_notify on TLS); the other direction carries on.</item>
/// <item>An error in either direction aborts both (mux streams are reset); cancellation too.</item>
/// </list>
/// The streams belong to the caller and are not disposed.
/// </summary>
public static class BufferedSplice
{
    public const int PauseThreshold = 1024 * 1024;

    private const int ReadSize = 64 * 1024;

    public static async Task RunAsync(Stream a, Stream b, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var aborting = abort.Token.Register(static state =>
        {
            var (first, second) = ((Stream, Stream))state!;
            (first as MuxStream)?.Abort();
            (second as MuxStream)?.Abort();
        }, (a, b));

        await Task.WhenAll(DirectionAsync(a, b, abort), DirectionAsync(b, a, abort)).ConfigureAwait(false);
    }

    private static Task DirectionAsync(Stream source, Stream destination, CancellationTokenSource abort)
    {
        if (source is MuxStream mux)
        {
            // A mux stream is already read ahead by its session (up to its receive window):
            // another pipe would only add a copy.
            return CopyAsync(mux, destination, abort);
        }

        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PauseThreshold, resumeWriterThreshold: PauseThreshold / 2, minimumSegmentSize: ReadSize, useSynchronizationContext: false));
        return Task.WhenAll(FillAsync(source, pipe.Writer, abort), DrainAsync(pipe.Reader, destination, abort));
    }

    private static async Task FillAsync(Stream source, PipeWriter writer, CancellationTokenSource abort)
    {
        var ct = abort.Token;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReadSize);
                var read = await source.ReadAsync(memory, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                var flushed = await writer.FlushAsync(ct).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetworkFailure(e))
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
            await abort.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task DrainAsync(PipeReader reader, Stream destination, CancellationTokenSource abort)
    {
        var ct = abort.Token;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await destination.WriteAsync(segment, ct).ConfigureAwait(false);
                }

                await destination.FlushAsync(ct).ConfigureAwait(false);
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            await StreamSplice.HalfCloseAsync(destination, ct).ConfigureAwait(false);
            await reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetworkFailure(e))
        {
            await reader.CompleteAsync(e).ConfigureAwait(false);
            await abort.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync(MuxStream source, Stream destination, CancellationTokenSource abort)
    {
        var ct = abort.Token;
        try
        {
            // Straight from the stream's receive buffer to the destination, flushed per batch.
            await source.CopyToAsync(destination, ct).ConfigureAwait(false);
            await StreamSplice.HalfCloseAsync(destination, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetworkFailure(e))
        {
            await abort.CancelAsync().ConfigureAwait(false);
        }
    }

    private static bool IsNetworkFailure(Exception e) =>
        e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException or NotSupportedException;
}
