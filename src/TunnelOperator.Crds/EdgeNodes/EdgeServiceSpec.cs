using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>The Service that carries public traffic to the edge's pods.</summary>
public sealed record EdgeServiceSpec
{
    [Description("Service type. LoadBalancer asks the cloud for a public address; NodePort and ClusterIP suit clusters where something else forwards public traffic in.")]
    [Default(ServiceType.LoadBalancer)]
    public ServiceType Type { get; set; } = ServiceType.LoadBalancer;

    [Description("Annotations added to the Service, e.g. for a cloud load balancer or external-dns.")]
    [Length(0, 4096)]
    [Items(0, 64)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
