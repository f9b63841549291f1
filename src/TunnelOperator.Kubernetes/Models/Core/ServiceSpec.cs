using System.Text.Json;
using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>How a service selects its endpoints and how it is exposed.</summary>
public sealed record ServiceSpec
{
    /// <summary><c>ClusterIP</c> (default), <c>NodePort</c>, <c>LoadBalancer</c> or <c>ExternalName</c>; a string so unknown future values round-trip.</summary>
    public string? Type { get; init; }

    /// <summary>Pods with all these labels back the service; none means endpoints are managed elsewhere.</summary>
    public IReadOnlyDictionary<string, string>? Selector { get; init; }

    public IReadOnlyList<ServicePort>? Ports { get; init; }

    /// <summary>Allocated by the API server; <c>None</c> makes a headless service.</summary>
    public string? ClusterIP { get; init; }

    public IReadOnlyList<string>? ClusterIPs { get; init; }

    public IReadOnlyList<string>? ExternalIPs { get; init; }

    public string? ExternalName { get; init; }

    /// <summary><c>Cluster</c> or <c>Local</c>.</summary>
    public string? ExternalTrafficPolicy { get; init; }

    public string? InternalTrafficPolicy { get; init; }

    public string? SessionAffinity { get; init; }

    public string? LoadBalancerClass { get; init; }

    public string? LoadBalancerIP { get; init; }

    public IReadOnlyList<string>? LoadBalancerSourceRanges { get; init; }

    public IReadOnlyList<string>? IpFamilies { get; init; }

    public string? IpFamilyPolicy { get; init; }

    public bool? PublishNotReadyAddresses { get; init; }

    public bool? AllocateLoadBalancerNodePorts { get; init; }

    /// <summary>
    /// Fields this model does not name, kept so that a read-modify-replace does not drop them.
    /// </summary>
    [JsonExtensionData]
    /// <remarks>Settable, not init-only: System.Text.Json cannot fill init-only extension data.</remarks>
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
