using System.IO.Pipelines;
using TunnelOperator.Mux;

namespace TunnelOperator.Edge.FrontDoor;

/// <summary>
/// Copies bytes both ways between a Kestrel connection's pipes and a mux stream to an agent,
/// without an intermediate buffer on the way up (each pipe segment is written as it is).
/// <list type="number">
/// <item>Client → agent: when the client half-closes, the mux stream gets FIN and the agent
///   half-closes the origin; the other direction carries on.</item>
/// <item>Agent → client: when the agent's side ends, the connection ends (Kestrel's transport
///   closes both directions when its output completes).</item>
/// <item>An error or cancellation in either direction aborts the mux stream.</item>
/// </list>
/// </summary>
public static class DuplexSplice
{
    private const int ReadSize = 64 * 1024;

    public static async Task RunAsync(IDuplexPipe client, MuxStream stream, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var aborting = abort.Token.Register(static s => ((MuxStream)s!).Abort(), stream);
        var up = UpAsync(client.Input, stream, abort);
        await DownAsync(stream, client.Output, abort).ConfigureAwait(false);
        await abort.CancelAsync().ConfigureAwait(false);
        await up.ConfigureAwait(false);
    }

    private static async Task UpAsync(PipeReader input, MuxStream stream, CancellationTokenSource abort)
    {
        var ct = abort.Token;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(ct).ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await stream.WriteAsync(segment, ct).ConfigureAwait(false);
                }

                input.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            await stream.CompleteWritesAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            await abort.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task DownAsync(MuxStream stream, PipeWriter output, CancellationTokenSource abort)
    {
        var ct = abort.Token;
        try
        {
            while (true)
            {
                var memory = output.GetMemory(ReadSize);
                var read = await stream.ReadAsync(memory, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                output.Advance(read);
                var flush = await output.FlushAsync(ct).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }

            await output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            await abort.CancelAsync().ConfigureAwait(false);
        }
    }
}
