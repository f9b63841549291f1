using System.Text.Json.Serialization;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>How the edge's Service is reachable (core/v1 Service type).</summary>
public enum ServiceType
{
    [JsonStringEnumMemberName("ClusterIP")]
    ClusterIP,

    [JsonStringEnumMemberName("NodePort")]
    NodePort,

    [JsonStringEnumMemberName("LoadBalancer")]
    LoadBalancer,
}
