namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>One port of a service and where it forwards to.</summary>
public sealed record ServicePort
{
    /// <summary>Required when a service has more than one port.</summary>
    public string? Name { get; init; }

    /// <summary><c>TCP</c> (default), <c>UDP</c> or <c>SCTP</c>.</summary>
    public string? Protocol { get; init; }

    public string? AppProtocol { get; init; }

    public int Port { get; init; }

    /// <summary>A number or the name of a container port; defaults to <see cref="Port"/>.</summary>
    public IntOrString? TargetPort { get; init; }

    public int? NodePort { get; init; }
}
