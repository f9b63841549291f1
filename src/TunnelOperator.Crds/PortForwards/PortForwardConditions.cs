namespace TunnelOperator.Crds.PortForwards;

/// <summary>Condition types a <see cref="PortForward"/> reports.</summary>
public static class PortForwardConditions
{
    /// <summary>Clients can forward: the agent is connected and the credentials are in place.</summary>
    public const string Ready = "Ready";

    /// <summary>The agent holds a session with the edge.</summary>
    public const string Connected = "Connected";
}
