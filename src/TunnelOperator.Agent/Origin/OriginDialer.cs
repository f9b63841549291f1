using System.Net.Security;
using System.Net.Sockets;
using TunnelOperator.Protocol.Networking;

namespace TunnelOperator.Agent.Origin;

/// <summary>
/// Connects to the service a tunnel forwards to (plain TCP, or TLS for https://), resolving its host
/// through <see cref="HostsOverride"/> (cluster Service names under the local control plane).
/// </summary>
public sealed class OriginDialer(Uri target)
{
    public Uri Target { get; } = target;

    public async Task<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await HostsOverride.Shared.ConnectAsync(socket, Target.IdnHost, Target.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (Target.Scheme == Uri.UriSchemeHttps)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = Target.IdnHost,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, cancellationToken).ConfigureAwait(false);
            stream = ssl;
        }

        return stream;
    }
}
