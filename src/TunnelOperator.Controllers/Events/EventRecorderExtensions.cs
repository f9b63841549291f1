using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.References;

namespace TunnelOperator.Controllers.Events;

/// <summary>Recording about an object directly.</summary>
public static class EventRecorderExtensions
{
    public static void Normal<T>(this IEventRecorder recorder, T value, string reason, string message)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        Record(recorder, value, EventTypes.Normal, reason, message);

    public static void Warning<T>(this IEventRecorder recorder, T value, string reason, string message)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        Record(recorder, value, EventTypes.Warning, reason, message);

    private static void Record<T>(IEventRecorder recorder, T value, string type, string reason, string message)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        ArgumentNullException.ThrowIfNull(recorder);
        recorder.Record(ObjectReferences.For(value), type, reason, message);
    }
}
