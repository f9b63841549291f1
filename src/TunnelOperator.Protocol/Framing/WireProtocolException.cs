namespace TunnelOperator.Protocol.Framing;

/// <summary>
/// The peer broke the wire protocol (a malformed or oversized message or header); the
/// session must be closed. An <see cref="IOException"/>, so transport-level handlers see it.
/// </summary>
public sealed class WireProtocolException(string message) : IOException(message);
