using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>
/// Entry point to the API: typed clients for kinds known at compile time, dynamic ones for the
/// rest. Small on purpose, so tests can fake it and another client could stand behind it.
/// </summary>
public interface IKubernetesClient
{
    /// <summary>The namespace of the configuration's context (or the pod's), <c>default</c> if none.</summary>
    string DefaultNamespace { get; }

    /// <summary>Verbs on <typeparamref name="T"/> in <paramref name="namespace"/>, or across all namespaces / cluster-wide when null.</summary>
    IResourceClient<T> Resource<T>(string? @namespace = null)
        where T : KubernetesObject, IKubernetesEntity<T>;

    /// <summary>Verbs on any resource, objects as JSON.</summary>
    IDynamicResourceClient Dynamic(ResourceType resource, string? @namespace = null);
}
