using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TunnelOperator.Mux.Transport;
using TunnelOperator.Protocol;
using TunnelOperator.Protocol.Networking;

namespace TunnelOperator.Agent.Connection;

/// <summary>
/// Opens the TLS 1.3 connection to an edge, negotiating the agent protocol by ALPN. The host is
/// resolved through <see cref="HostsOverride"/>, so cluster Service names work under the local
/// control plane too.
/// </summary>
public static class EdgeDialer
{
    public static async Task<SslStream> ConnectAsync(Uri endpoint, string? caCertificatePath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"endpoint '{endpoint}' must be an https:// URL (the edge's control port, or its HTTPS port)");
        }

        // Read before anything is dialled: a CA file that cannot be read is a setting to fix,
        // not a network failure to retry.
        var trusted = caCertificatePath is null ? null : LoadCa(caCertificatePath);
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await HostsOverride.Shared.ConnectAsync(socket, endpoint.IdnHost, endpoint.Port, connectTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        // Small frames of many streams share send calls; bulk writes go out directly.
        var ssl = new SslStream(new CoalescingSocketStream(socket), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = endpoint.IdnHost,
                ApplicationProtocols = [WireProtocol.Alpn],
                EnabledSslProtocols = SslProtocols.Tls13,
                CertificateChainPolicy = trusted is null ? null : new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { trusted },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            }, connectTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"TLS handshake timed out: connected, but no answer within {timeout.TotalSeconds:0} s (is this a tunneld port?)");
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (!ssl.NegotiatedApplicationProtocol.Protocol.Span.SequenceEqual(WireProtocol.Alpn.Protocol.Span))
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new AuthenticationException($"{endpoint} did not accept the agent protocol (ALPN {WireProtocol.AlpnProtocol}); is this a tunneld edge?");
        }

        return ssl;
    }

    private static X509Certificate2 LoadCa(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new EdgeTrustException($"--ca-cert {path}: cannot read a PEM certificate there ({e.Message}); pass the edge's CA file (<data-dir>/ca.crt on the edge)", e);
        }
    }
}

/// <summary>The CA to trust for the edge cannot be used: a setting to fix, which retrying will not.</summary>
public sealed class EdgeTrustException(string message, Exception inner) : Exception(message, inner);
