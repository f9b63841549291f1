namespace TunnelOperator.Operator.Tunnels;

/// <summary>PascalCase reasons of a Tunnel's Ready and Connected conditions.</summary>
internal static class TunnelReasons
{
    /// <summary>An agent holds the tunnel on the edge: the public URL serves.</summary>
    public const string AgentConnected = "AgentConnected";

    /// <summary>The EdgeNode named by spec.edgeRef does not exist (or is being deleted).</summary>
    public const string EdgeNotFound = "EdgeNotFound";

    /// <summary>The edge has no credentials yet, or its admin API does not answer.</summary>
    public const string EdgeNotReady = "EdgeNotReady";

    /// <summary>No agent of this Tunnel holds a session on the edge (yet).</summary>
    public const string AgentNotConnected = "AgentNotConnected";

    /// <summary>The name is live on the edge from another client or Tunnel.</summary>
    public const string NameConflict = "NameConflict";

    /// <summary>The spec breaks a rule, or its Service or port does not exist.</summary>
    public const string InvalidTarget = "InvalidTarget";

    /// <summary>A protocol this operator does not serve yet (tls-passthrough, tcp, udp).</summary>
    public const string UnsupportedProtocol = "UnsupportedProtocol";

    /// <summary>A child the Tunnel would own exists and belongs to someone else.</summary>
    public const string ChildConflict = "ChildConflict";
}
