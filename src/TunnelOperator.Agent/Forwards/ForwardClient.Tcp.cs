using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using TunnelOperator.Mux;
using TunnelOperator.Protocol.Forwards;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Forwards;

public sealed partial class ForwardClient
{
    private int _connections;

    private async Task AcceptTcpAsync(CancellationToken ct)
    {
        var inflight = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(ct).ConfigureAwait(false);
                inflight.RemoveAll(t => t.IsCompleted);
                if (Interlocked.Increment(ref _connections) > _options.MaxConnections)
                {
                    Interlocked.Decrement(ref _connections);
                    LogTooManyConnections(_logger, _options.MaxConnections);
                    socket.Dispose();
                    continue;
                }

                inflight.Add(ServeTcpAsync(socket, ct));
            }
        }
        finally
        {
            await Task.WhenAll(inflight).ConfigureAwait(false);
        }
    }

    private async Task ServeTcpAsync(Socket socket, CancellationToken ct)
    {
        socket.NoDelay = true;
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        try
        {
            await using var local = new NetworkStream(socket, ownsSocket: true);
            var opened = await OpenForwardAsync(probe: false, ct).ConfigureAwait(false);
            if (opened.Reply.Status != ForwardStatus.Ok || opened.Stream is not { } stream)
            {
                LogRefused(_logger, peer, ForwardReplies.Explain(opened.Reply, _options.ServerId));
                await opened.DisposeAsync().ConfigureAwait(false);
                return;
            }

            await using (stream.ConfigureAwait(false))
            {
                LogConnectionForwarded(_logger, peer, _options.Source.ToString(), opened.Reply.RemoteAddress);
                // Bytes the server sent right behind its reply are already in the reader.
                await ForwardFraming.FlushBufferedAsync(opened.Reader!, local, ct).ConfigureAwait(false);
                await opened.Reader!.CompleteAsync().ConfigureAwait(false);
                await StreamSplice.RunAsync(local, stream, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            LogConnectionFailed(_logger, peer, e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "connection from {Peer} not forwarded: {Explanation}")]
    private static partial void LogRefused(ILogger logger, string peer, string explanation);

    [LoggerMessage(Level = LogLevel.Information, Message = "connection from {Peer} forwarded to {Source} ({Remote})")]
    private static partial void LogConnectionForwarded(ILogger logger, string peer, string source, string remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "connection from {Peer} ended with an error: {Reason}")]
    private static partial void LogConnectionFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "closed a new local connection: {Max} are already being forwarded")]
    private static partial void LogTooManyConnections(ILogger logger, int max);
}
