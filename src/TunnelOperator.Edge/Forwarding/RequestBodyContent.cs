using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace TunnelOperator.Edge.Forwarding;

/// <summary>
/// Streams the public request body into the forwarded request as it arrives, without
/// buffering it. Remembers whether Kestrel stopped the body for exceeding the size limit so
/// the forwarder can answer 413 rather than 502.
/// </summary>
internal sealed class RequestBodyContent(Stream body, long? contentLength) : HttpContent
{
    public bool LimitExceeded { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    LimitExceeded = true;
                    throw;
                }

                if (read == 0)
                {
                    return;
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = contentLength ?? 0;
        return contentLength.HasValue;
    }
}
