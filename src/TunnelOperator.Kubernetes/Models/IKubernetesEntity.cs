using System.Text.Json.Serialization.Metadata;

namespace TunnelOperator.Kubernetes.Models;

/// <summary>
/// A kind the typed client can serve: it names its resource and its source-generated JSON
/// contracts, so that no reflection is needed to read or write it.
/// </summary>
public interface IKubernetesEntity<TSelf>
    where TSelf : KubernetesObject, IKubernetesEntity<TSelf>
{
    static abstract ResourceType Resource { get; }

    static abstract JsonTypeInfo<TSelf> JsonType { get; }

    static abstract JsonTypeInfo<KubernetesList<TSelf>> ListJsonType { get; }
}
