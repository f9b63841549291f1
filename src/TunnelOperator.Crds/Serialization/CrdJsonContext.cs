using System.Text.Json.Serialization;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Hives;
using TunnelOperator.Crds.PortForwards;
using TunnelOperator.Crds.TenantInvites;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Crds.Serialization;

/// <summary>
/// Source-generated JSON contracts of the kinds, in the API's conventions: camelCase names,
/// absent rather than null optional fields, enums by their wire names, RFC 3339 timestamps.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(Rfc3339DateTimeOffsetConverter)])]
[JsonSerializable(typeof(Tunnel))]
[JsonSerializable(typeof(KubernetesList<Tunnel>))]
[JsonSerializable(typeof(EdgeNode))]
[JsonSerializable(typeof(KubernetesList<EdgeNode>))]
[JsonSerializable(typeof(TenantInvite))]
[JsonSerializable(typeof(KubernetesList<TenantInvite>))]
[JsonSerializable(typeof(Hive))]
[JsonSerializable(typeof(KubernetesList<Hive>))]
[JsonSerializable(typeof(PortForward))]
[JsonSerializable(typeof(KubernetesList<PortForward>))]
internal sealed partial class CrdJsonContext : JsonSerializerContext;
