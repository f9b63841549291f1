using TunnelOperator.Mux;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tenants;

/// <summary>What a live route needs from the tenant agent session behind it (the seam tests fake).</summary>
public interface IServiceSession
{
    string Id { get; }
    Guid TenantId { get; }
    string TenantName { get; }

    /// <summary>Opens a data stream to the agent and writes <paramref name="header"/> on it.</summary>
    ValueTask<MuxStream> OpenStreamAsync(StreamHeader header, CancellationToken cancellationToken);
}
