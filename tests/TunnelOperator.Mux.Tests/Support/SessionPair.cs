using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.Mux.Tests.Support;

public enum TransportKind
{
    /// <summary>In-memory pipes, through the IDuplexPipe overloads, with a frame tap each way.</summary>
    Memory,

    /// <summary>A loopback TCP connection, through the Stream overloads.</summary>
    Tcp,
}

/// <summary>A client and a server session connected to each other.</summary>
internal sealed class SessionPair : IAsyncDisposable
{
    private SessionPair(MuxSession client, MuxSession server, FrameTap? up, FrameTap? down)
    {
        Client = client;
        Server = server;
        ClientToServer = up;
        ServerToClient = down;
    }

    public MuxSession Client { get; }

    public MuxSession Server { get; }

    /// <summary>Frames the client sent (memory transport only).</summary>
    public FrameTap? ClientToServer { get; }

    /// <summary>Frames the server sent (memory transport only).</summary>
    public FrameTap? ServerToClient { get; }

    public static async Task<SessionPair> CreateAsync(TransportKind kind, MuxOptions? client = null, MuxOptions? server = null, TimeProvider? time = null, PipeOptions? pipeOptions = null)
    {
        time ??= TimeProvider.System;
        var clientLog = TestLogger.For("client");
        var serverLog = TestLogger.For("server");
        if (kind == TransportKind.Memory)
        {
            var (clientEnd, serverEnd, up, down) = FrameTap.Wire(pipeOptions);
            return new SessionPair(
                MuxSession.CreateClient(clientEnd, client ?? MuxOptions.Default, time, clientLog),
                MuxSession.CreateServer(serverEnd, server ?? MuxOptions.Default, time, serverLog),
                up,
                down);
        }

        var (clientStream, serverStream) = await LoopbackTcp.CreatePairAsync();
        return new SessionPair(
            MuxSession.CreateClient(clientStream, client ?? MuxOptions.Default, time, clientLog),
            MuxSession.CreateServer(serverStream, server ?? MuxOptions.Default, time, serverLog),
            null,
            null);
    }

    /// <summary>Opens a stream on <paramref name="opener"/> and accepts it on the other side.</summary>
    public async Task<(MuxStream Opened, MuxStream Accepted)> OpenAsync(bool fromClient = true)
    {
        var (opener, acceptor) = fromClient ? (Client, Server) : (Server, Client);
        var opened = await opener.OpenStreamAsync(Within.Token).Bound();
        var accepted = await acceptor.AcceptStreamAsync(Within.Token).Bound();
        Assert.NotNull(accepted);
        Assert.Equal(opened.Id, accepted.Id);
        return (opened, accepted);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().AsTask().Bound();
        await Server.DisposeAsync().AsTask().Bound();
    }
}

internal static class Loggers
{
    public static ILogger Null => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
