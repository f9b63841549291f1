using System.Buffers;
using System.Net.Sockets;
using TunnelOperator.Protocol.ProxyProtocol;

namespace TunnelOperator.Edge.Ports;

/// <summary>
/// The socket of a peer outside the trusted proxy CIDRs on a declared TCP port. Its first
/// bytes are held back until they cannot be the start of a PROXY header (v1 or v2); if they
/// are one, reading fails and the connection is closed, so no client can pass an origin a
/// forged client address. Nothing is read before the peer sends: server-first protocols
/// (SSH, SMTP) are not delayed. A <see cref="NetworkStream"/>, so a splice still half-closes
/// the socket.
/// </summary>
internal sealed class ProxyRefusingStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
{
    // Long enough for the v2 signature (12 bytes), which is longer than v1's "PROXY ".
    private const int Decisive = 12;

    /// <summary>How long a partial signature is held before it is delivered as data.</summary>
    public static readonly TimeSpan HoldTimeout = TimeSpan.FromSeconds(1);

    private readonly byte[] _head = new byte[Decisive];
    private int _held;
    private int _released;
    private bool _decided;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!_decided)
        {
            int read;
            if (_held == 0)
            {
                read = await base.ReadAsync(_head, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // A client that sent a few bytes that happen to begin a signature ("\r\n", "P")
                // and now waits for an answer gets them delivered after HoldTimeout.
                using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                hold.CancelAfter(HoldTimeout);
                try
                {
                    read = await base.ReadAsync(_head.AsMemory(_held), hold.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    _decided = true;
                    break;
                }
            }

            _held += read;
            if (read == 0 || !ProxyHeaderParser.MayBeProxyHeader(new ReadOnlySequence<byte>(_head, 0, _held)))
            {
                _decided = true;
            }
            else if (_held == Decisive || (_held >= 6 && _head.AsSpan(0, 6).SequenceEqual("PROXY "u8)))
            {
                throw new IOException("a PROXY header from a peer outside the trusted proxies; closed");
            }
        }

        if (_released < _held)
        {
            var count = Math.Min(buffer.Length, _held - _released);
            _head.AsSpan(_released, count).CopyTo(buffer.Span);
            _released += count;
            return count;
        }

        return await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer) => throw new NotSupportedException("read this stream asynchronously");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read this stream asynchronously");
}
