namespace TunnelOperator.Edge.Forwards;

/// <summary>Bounds on what port forwarding may hold on an edge.</summary>
internal static class ForwardLimits
{
    /// <summary>Forward streams one client session may have open at once; more are refused.</summary>
    public const int MaxStreamsPerClientSession = 512;

    /// <summary>Server IDs one agent session may register.</summary>
    public const int MaxServerIdsPerSession = 8;

    /// <summary>Time a client has to send ForwardOpen after opening a stream.</summary>
    public static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(10);
}
