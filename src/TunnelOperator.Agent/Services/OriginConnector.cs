using System.Net.Security;
using System.Net.Sockets;
using TunnelOperator.Protocol.ProxyProtocol;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Services;

/// <summary>
/// Opens the origin connection for one TCP-like stream:
/// <list type="number">
/// <item>TCP to the origin;</item>
/// <item>the PROXY v2 header first, when the service asks for it;</item>
/// <item>for a terminate-mode service with <see cref="AgentService.OriginServerName"/>, TLS to
///   the origin with that SNI (the edge already took the client's TLS off).</item>
/// </list>
/// </summary>
public static class OriginConnector
{
    public static async Task<Stream> ConnectAsync(AgentService service, StreamHeader header, string tenant, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(service.OriginHost, service.OriginPort, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (service.ProxyProtocol == ProxyProtocolMode.V2)
            {
                await stream.WriteAsync(ProxyHeaders.For(header, tenant, ProxyTransport.Stream), cancellationToken).ConfigureAwait(false);
            }

            if (header.Kind == StreamKind.Terminate && service.OriginServerName is { } sni)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = sni,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                }, cancellationToken).ConfigureAwait(false);
            }

            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
