using TunnelOperator.Edge.Tenants;

namespace TunnelOperator.Edge.FrontDoor;

/// <summary>
/// Set on a connection whose ClientHello named a terminate-mode tenant hostname: after TLS,
/// the plaintext goes to that route's agent instead of into HTTP.
/// </summary>
public sealed record FrontDoorFeature(ServiceRoute Route, string ServerName);
