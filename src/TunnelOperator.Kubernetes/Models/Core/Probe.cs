namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A health check of a container; exactly one handler is set.</summary>
public sealed record Probe
{
    public HttpGetAction? HttpGet { get; init; }

    public TcpSocketAction? TcpSocket { get; init; }

    public ExecAction? Exec { get; init; }

    public int? InitialDelaySeconds { get; init; }

    public int? PeriodSeconds { get; init; }

    public int? TimeoutSeconds { get; init; }

    public int? SuccessThreshold { get; init; }

    public int? FailureThreshold { get; init; }
}
