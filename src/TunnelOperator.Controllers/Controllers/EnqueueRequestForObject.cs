using TunnelOperator.Controllers.Cache;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>Any change of a primary object queues that object's key (controller-runtime's handler of the same name).</summary>
internal sealed class EnqueueRequestForObject<T>(IKeySink sink) : IResourceEventHandler<T>
    where T : KubernetesObject
{
    public void OnAdd(T value) => sink.Enqueue(ObjectKey.From(value));

    public void OnUpdate(T oldValue, T newValue) => sink.Enqueue(ObjectKey.From(newValue));

    public void OnDelete(T value) => sink.Enqueue(ObjectKey.From(value));
}
