using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.Tenants;
using TunnelOperator.Mux;
using TunnelOperator.Protocol;
using TunnelOperator.Protocol.ProxyProtocol;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.FrontDoor;

/// <summary>
/// The one front door on the HTTPS port, a Kestrel connection middleware placed before TLS:
/// <list type="number">
/// <item>a peer in the trusted proxy CIDRs must send a PROXY v2 header first (within the
///   header timeout); its addresses replace the socket's. A PROXY header from anyone else is
///   refused;</item>
/// <item>the ClientHello is peeked without consuming it, as Kestrel's TLS listener does:
///   records may be split across reads and the message across records, within
///   <see cref="L4Options.MaxClientHelloBytes"/> and <see cref="L4Options.ClientHelloTimeout"/>;</item>
/// <item>a passthrough hostname: the raw bytes, ClientHello first, are spliced to an agent
///   stream; the edge never sees keys or plaintext;</item>
/// <item>a terminate hostname: TLS runs here (Kestrel), then <see cref="AfterTls"/> splices
///   the plaintext to an agent;</item>
/// <item>the edge's own names (base host and its subdomains, no SNI, or the agent ALPN) go on
///   to TLS and HTTP tunnels or agents as before;</item>
/// <item>any other name gets a fatal unrecognized_name alert and the connection closes, so it
///   can never reach another tenant's service.</item>
/// </list>
/// </summary>
public sealed partial class FrontDoorMiddleware(EdgeServices edge)
{
    // TLS alert record: type 21, version 3.3, length 2, level fatal (2), description (RFC 8446 6).
    private static readonly byte[] UnrecognizedNameAlert = [21, 3, 3, 0, 2, 2, 112];

    private readonly ILogger _logger = edge.LoggerFactory.CreateLogger<FrontDoorMiddleware>();

    private L4Options Options => edge.Options.L4;

    public ConnectionDelegate BeforeTls(ConnectionDelegate next) => connection => OnConnectionAsync(connection, next);

    /// <summary>After TLS: terminate-mode connections go to their agent as plaintext.</summary>
    public ConnectionDelegate AfterTls(ConnectionDelegate next) => connection =>
        connection.Features.Get<FrontDoorFeature>() is { } door ? SpliceAsync(connection, door.Route, door.ServerName, StreamKind.Terminate) : next(connection);

    /// <summary>The PROXY v2 step alone, for the plain-HTTP listener.</summary>
    public ConnectionDelegate TrustedProxyOnly(ConnectionDelegate next) => async connection =>
    {
        if (await AcceptProxyHeaderAsync(connection).ConfigureAwait(false))
        {
            await next(connection).ConfigureAwait(false);
        }
    };

    /// <summary>ALPN for the handshake of a name: HTTP/1.1 only for terminate routes (the origin gets the bytes as they are).</summary>
    public List<SslApplicationProtocol>? AlpnFor(string? serverName) =>
        edge.L4.Routes.FindHost(serverName) is { Mode: TlsMode.Terminate } ? [SslApplicationProtocol.Http11] : null;

    /// <summary>True for names the generated CA may issue for: live terminate hostnames.</summary>
    public bool IsTerminateName(string serverName) => edge.L4.Routes.FindHost(serverName) is { Mode: TlsMode.Terminate };

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (!await AcceptProxyHeaderAsync(connection).ConfigureAwait(false))
        {
            return;
        }

        var (status, hello) = await PeekClientHelloAsync(connection.Transport.Input, connection.ConnectionClosed).ConfigureAwait(false);
        switch (status)
        {
            case PeekStatus.Hello:
                break;
            case PeekStatus.ProxyHeaderFromUntrustedPeer:
                LogUntrustedProxyHeader(_logger, Peer(connection));
                return;
            default:
                LogBadClientHello(_logger, Peer(connection), status.ToString());
                return;
        }

        var serverName = hello!.ServerName;
        // The edge's own names come first: a tenant route can never shadow an HTTP tunnel.
        if (serverName is null || edge.Options.IsEdgeName(serverName))
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        var route = edge.L4.Routes.FindHost(serverName);
        if (route is { Mode: TlsMode.Terminate })
        {
            connection.Features.Set(new FrontDoorFeature(route, serverName));
            await next(connection).ConfigureAwait(false);
            return;
        }

        if (route is not null)
        {
            await SpliceAsync(connection, route, serverName, StreamKind.Passthrough).ConfigureAwait(false);
            return;
        }

        if (hello.ApplicationProtocols.Contains(WireProtocol.AlpnProtocol))
        {
            await next(connection).ConfigureAwait(false); // an agent dialling the edge by another of its names
            return;
        }

        LogUnknownName(_logger, serverName, Peer(connection));
        await connection.Transport.Output.WriteAsync(UnrecognizedNameAlert, connection.ConnectionClosed).ConfigureAwait(false);
        await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Returns false when the connection must be closed.</summary>
    private async Task<bool> AcceptProxyHeaderAsync(ConnectionContext connection)
    {
        if (connection.RemoteEndPoint is not IPEndPoint remote || !Options.IsTrustedProxy(remote.Address))
        {
            return true;
        }

        var (status, header) = await ProxyHeaderReader.ReadAsync(connection.Transport.Input, Options.ProxyHeaderTimeout, edge.Time, connection.ConnectionClosed).ConfigureAwait(false);
        if (status != ProxyParseStatus.Complete)
        {
            LogBadProxyHeader(_logger, remote.ToString(), status == ProxyParseStatus.NeedMoreData ? "timed out" : status.ToString());
            return false;
        }

        if (header!.Command == ProxyCommand.Proxy && header.Source is not null)
        {
            connection.RemoteEndPoint = header.Source;
            connection.LocalEndPoint = header.Destination ?? connection.LocalEndPoint;
        }

        return true;
    }

    private enum PeekStatus
    {
        Hello,
        NotTls,
        ProxyHeaderFromUntrustedPeer,
        Malformed,
        TooLarge,
        Truncated,
        TimedOut,
    }

    private async Task<(PeekStatus Status, ClientHelloInfo? Hello)> PeekClientHelloAsync(PipeReader input, CancellationToken closed)
    {
        using var deadline = new CancellationTokenSource(Options.ClientHelloTimeout, edge.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, closed);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var status = ClientHelloParser.TryParse(buffer, out var hello, Options.MaxClientHelloBytes);
                if (status == ClientHelloStatus.NeedMoreData && !result.IsCompleted)
                {
                    // Nothing consumed, everything examined: the next read waits for more bytes.
                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                // Nothing consumed: TLS (or the splice) reads the ClientHello again from the start.
                input.AdvanceTo(buffer.Start);
                return status switch
                {
                    ClientHelloStatus.Complete => (PeekStatus.Hello, hello),
                    ClientHelloStatus.NotTls when ProxyHeaderParser.MayBeProxyHeader(buffer) => (PeekStatus.ProxyHeaderFromUntrustedPeer, null),
                    ClientHelloStatus.NotTls => (PeekStatus.NotTls, null),
                    ClientHelloStatus.TooLarge => (PeekStatus.TooLarge, null),
                    ClientHelloStatus.NeedMoreData => (PeekStatus.Truncated, null),
                    _ => (PeekStatus.Malformed, null),
                };
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (PeekStatus.TimedOut, null);
        }
        catch (OperationCanceledException)
        {
            return (PeekStatus.Truncated, null);
        }
    }

    private async Task SpliceAsync(ConnectionContext connection, ServiceRoute route, string serverName, StreamKind kind)
    {
        MuxStream stream;
        try
        {
            stream = await route.OpenStreamAsync(new StreamHeader
            {
                Kind = kind,
                Service = route.Service,
                ServerName = serverName,
                ClientAddress = connection.RemoteEndPoint?.ToString() ?? string.Empty,
                ServerAddress = connection.LocalEndPoint?.ToString() ?? string.Empty,
            }, connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // No agent can serve the name right now: the client hears what it would once the
            // route is gone, an unrecognized_name alert, rather than a bare close.
            LogAgentUnreachable(_logger, serverName, e.Message);
            if (!connection.ConnectionClosed.IsCancellationRequested)
            {
                await connection.Transport.Output.WriteAsync(UnrecognizedNameAlert, connection.ConnectionClosed).ConfigureAwait(false);
                await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            }

            return;
        }

        await using (stream.ConfigureAwait(false))
        {
            await DuplexSplice.RunAsync(connection.Transport, stream, connection.ConnectionClosed).ConfigureAwait(false);
        }
    }

    private static string Peer(ConnectionContext connection) => connection.RemoteEndPoint?.ToString() ?? "unknown";

    [LoggerMessage(Level = LogLevel.Information, Message = "front door: unknown server name {ServerName} from {Peer}; sent unrecognized_name")]
    private static partial void LogUnknownName(ILogger logger, string serverName, string peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "front door: no usable ClientHello from {Peer} ({Status}); closed")]
    private static partial void LogBadClientHello(ILogger logger, string peer, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "front door: PROXY header from untrusted peer {Peer}; closed")]
    private static partial void LogUntrustedProxyHeader(ILogger logger, string peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "trusted proxy {Peer} sent no valid PROXY v2 header ({Status}); closed")]
    private static partial void LogBadProxyHeader(ILogger logger, string peer, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "front door: the agent for {ServerName} could not be reached: {Reason}")]
    private static partial void LogAgentUnreachable(ILogger logger, string serverName, string reason);
}
