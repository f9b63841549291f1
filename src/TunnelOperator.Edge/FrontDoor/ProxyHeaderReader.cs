using System.Buffers;
using System.IO.Pipelines;
using TunnelOperator.Protocol.ProxyProtocol;

namespace TunnelOperator.Edge.FrontDoor;

/// <summary>
/// Reads the PROXY v2 header a trusted load balancer sends first, within a deadline. Only the
/// header's bytes are consumed; what follows stays for the next reader.
/// </summary>
public static class ProxyHeaderReader
{
    /// <summary>From a connection's pipe (Kestrel listeners).</summary>
    public static async Task<(ProxyParseStatus Status, ProxyHeader? Header)> ReadAsync(PipeReader input, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var status = ProxyHeaderParser.TryParse(ref buffer, out var header);
                if (status == ProxyParseStatus.Complete)
                {
                    input.AdvanceTo(buffer.Start);
                    return (status, header);
                }

                if (status != ProxyParseStatus.NeedMoreData || result.IsCompleted)
                {
                    input.AdvanceTo(result.Buffer.Start);
                    return (status == ProxyParseStatus.NeedMoreData ? ProxyParseStatus.Malformed : status, null);
                }

                input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (ProxyParseStatus.NeedMoreData, null);
        }
    }

    /// <summary>
    /// From a socket stream (declared TCP ports): the 16 fixed bytes, then exactly the length
    /// they announce, so no byte after the header is read.
    /// </summary>
    public static async Task<(ProxyParseStatus Status, ProxyHeader? Header)> ReadAsync(Stream input, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var bytes = ArrayPool<byte>.Shared.Rent(ProxyHeaderParser.DefaultMaxHeaderBytes);
        try
        {
            await input.ReadExactlyAsync(bytes.AsMemory(0, ProxyHeaderWriter.FixedLength), linked.Token).ConfigureAwait(false);
            var sequence = new ReadOnlySequence<byte>(bytes, 0, ProxyHeaderWriter.FixedLength);
            var status = ProxyHeaderParser.TryParse(ref sequence, out _);
            if (status != ProxyParseStatus.NeedMoreData && status != ProxyParseStatus.Complete)
            {
                return (status, null);
            }

            var rest = (bytes[14] << 8) | bytes[15];
            if (ProxyHeaderWriter.FixedLength + rest > ProxyHeaderParser.DefaultMaxHeaderBytes)
            {
                return (ProxyParseStatus.TooLarge, null);
            }

            await input.ReadExactlyAsync(bytes.AsMemory(ProxyHeaderWriter.FixedLength, rest), linked.Token).ConfigureAwait(false);
            sequence = new ReadOnlySequence<byte>(bytes, 0, ProxyHeaderWriter.FixedLength + rest);
            status = ProxyHeaderParser.TryParse(ref sequence, out var header);
            return (status == ProxyParseStatus.NeedMoreData ? ProxyParseStatus.Malformed : status, header);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (ProxyParseStatus.NeedMoreData, null);
        }
        catch (EndOfStreamException)
        {
            return (ProxyParseStatus.Malformed, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
