using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace TunnelOperator.Edge.Hosting;

/// <summary>
/// An endpoint Kestrel "listens" on without a socket: connections that another listener has
/// already accepted and taken through TLS are queued here and Kestrel serves HTTP on them.
/// The control port uses it for hub API clients, after its own TLS handshake found that the
/// client asked for HTTP rather than the agent protocol.
/// </summary>
internal sealed class HandOffEndPoint(string name) : EndPoint
{
    private readonly Channel<ConnectionContext> _queue = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });

    public string Name { get; } = name;

    internal ChannelReader<ConnectionContext> Accepted => _queue.Reader;

    /// <summary>Hands a TLS connection to Kestrel; false once Kestrel has stopped listening (the caller closes it).</summary>
    public bool TryHandOff(SslStream tls, Socket socket, EndPoint? local, EndPoint? remote) =>
        _queue.Writer.TryWrite(new HandedOffConnection(tls, socket, local, remote));

    internal void Complete() => _queue.Writer.TryComplete();

    public override string ToString() => $"hand-off:{Name}";
}

/// <summary>Binds Kestrel listeners to <see cref="HandOffEndPoint"/>s; the socket transport keeps every other endpoint.</summary>
internal sealed class HandOffListenerFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is HandOffEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is HandOffEndPoint handOff
            ? ValueTask.FromResult<IConnectionListener>(new Listener(handOff))
            : throw new NotSupportedException($"{endpoint} is not a hand-off endpoint");

    private sealed class Listener(HandOffEndPoint endpoint) : IConnectionListener
    {
        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return await endpoint.Accepted.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return null; // unbound: Kestrel stops accepting
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            endpoint.Complete();
            return ValueTask.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            endpoint.Complete();
            while (endpoint.Accepted.TryRead(out var queued))
            {
                await queued.DisposeAsync().ConfigureAwait(false); // queued but never served
            }
        }
    }
}

/// <summary>
/// A connection Kestrel serves over an established TLS stream. It carries the TLS features
/// Kestrel looks at (ALPN picks HTTP/1.1 or HTTP/2, and the request scheme is https).
/// </summary>
internal sealed class HandedOffConnection : ConnectionContext, ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    private static long s_nextId;

    private readonly SslStream _tls;
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;

    public HandedOffConnection(SslStream tls, Socket socket, EndPoint? local, EndPoint? remote)
    {
        _tls = tls;
        _socket = socket;
        _input = PipeReader.Create(tls, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        _output = PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true));
        Transport = new Duplex(_input, _output);
        LocalEndPoint = local;
        RemoteEndPoint = remote;
        ConnectionId = $"control-{Interlocked.Increment(ref s_nextId)}";
        Features.Set<ITlsConnectionFeature>(this);
        Features.Set<ITlsApplicationProtocolFeature>(this);
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public ReadOnlyMemory<byte> ApplicationProtocol => _tls.NegotiatedApplicationProtocol.Protocol;

    public X509Certificate2? ClientCertificate { get; set; }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _input.CancelPendingRead();
        _socket.Dispose(); // fails pending reads and writes at once, without waiting for queued sends
        SignalClosed();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _input.CompleteAsync().ConfigureAwait(false);
        await _output.CompleteAsync().ConfigureAwait(false);
        await _tls.DisposeAsync().ConfigureAwait(false);
        SignalClosed();
        _closed.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void SignalClosed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
