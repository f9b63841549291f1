using Microsoft.Extensions.Logging;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Protocol;
using TunnelOperator.Protocol.Networking;

namespace TunnelOperator.Operator.Hosting;

/// <summary>What <c>tunneld operator</c> (and <c>tunneld local</c>'s in-process operator) is configured with.</summary>
public sealed record OperatorOptions
{
    /// <summary>The suite's image, run by edge and agent pods unless a spec names its own.</summary>
    public static string DefaultImage { get; } = $"ghcr.io/tunneloperator/tunneloperator:{WireProtocol.ProgramVersion}";

    public string Image { get; init; } = DefaultImage;

    /// <summary>Reconcile only this namespace; null for all.</summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// How names of edge admin Services resolve. The process's own (<c>TUNNELOP_HOSTS_FILE</c>) by default;
    /// <c>tunneld local</c> passes the local control plane's hosts file.
    /// </summary>
    public HostsOverride Hosts { get; init; } = HostsOverride.Shared;

    /// <summary>How soon an object that is not ready is looked at again (edges and agents are not watchable).</summary>
    public TimeSpan NotReadyRequeue { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How soon a ready object is looked at again, to notice an agent or edge that went away.</summary>
    public TimeSpan ReadyRequeue { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one fetch of an edge's tunnels, users and tokens serves every Tunnel on it.</summary>
    public TimeSpan EdgeSnapshotMaxAge { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Tunnels reconciled at once (different objects; one object is never reconciled twice at once).</summary>
    public int TunnelWorkers { get; init; } = 8;

    public int EdgeNodeWorkers { get; init; } = 2;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Test hook: runs after each child write, e.g. to stop the operator between two writes of one reconcile.</summary>
    internal Func<KubernetesObject, CancellationToken, Task>? AfterWrite { get; init; }

    /// <summary>Test hook: told of every reconcile that ended (the controller's name, the object, the fault if it failed).</summary>
    internal Action<string, KubernetesObject, Exception?>? AfterReconcile { get; init; }

    /// <summary>Test hook: runs after each token the operator issues on an edge, before it is stored in a Secret.</summary>
    internal Func<string, CancellationToken, Task>? AfterTokenIssued { get; init; }
}
