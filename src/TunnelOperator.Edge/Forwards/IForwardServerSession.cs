using TunnelOperator.Mux;

namespace TunnelOperator.Edge.Forwards;

/// <summary>What the registry and the relay need from a session serving forward server IDs (the seam tests fake).</summary>
internal interface IForwardServerSession
{
    /// <summary>Opens a forward stream to the server, its StreamHeader already written.</summary>
    ValueTask<MuxStream> OpenForwardStreamAsync(string serverId, AgentForwards from, CancellationToken cancellationToken);
}
