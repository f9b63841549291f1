using TunnelOperator.Edge.Routing;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store;

namespace TunnelOperator.Edge.Sessions;

/// <summary>What a live tunnel needs from the agent session that owns it (the seam tests fake).</summary>
public interface ITunnelSession
{
    string Id { get; }
    UserRecord User { get; }
    string ClientVersion { get; }
    string PeerAddress { get; }

    /// <summary>The API token the session authenticated with (<see cref="Guid.Empty"/> when there is none to name).</summary>
    Guid TokenId => Guid.Empty;

    /// <summary>Opens a data stream to the agent for one public connection.</summary>
    ValueTask<Stream> OpenDataStreamAsync(ActiveTunnel tunnel, string clientAddress, CancellationToken cancellationToken);

    /// <summary>Drops one tunnel of this session because another client took it over or it was revoked.</summary>
    Task EvictAsync(ActiveTunnel tunnel, CancelReason reason, string message, CancellationToken cancellationToken);
}
