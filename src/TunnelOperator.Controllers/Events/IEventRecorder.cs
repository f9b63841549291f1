using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Events;

/// <summary>
/// Records Kubernetes Events about objects (client-go's <c>record.EventRecorder</c>), shown by
/// <c>kubectl describe</c>. Recording never blocks and never fails the caller: events are written in
/// the background, and dropped (and counted) when too many are waiting.
/// </summary>
public interface IEventRecorder
{
    /// <param name="involvedObject">The object the event is about (see <see cref="Kubernetes.References.ObjectReferences"/>).</param>
    /// <param name="type"><see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>.</param>
    /// <param name="reason">PascalCase, short and stable: what alerts and filters match on.</param>
    /// <param name="message">For people; longer than 1 KiB is cut.</param>
    void Record(ObjectReference involvedObject, string type, string reason, string message);
}
