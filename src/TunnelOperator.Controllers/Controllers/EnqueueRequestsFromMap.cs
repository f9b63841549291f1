using TunnelOperator.Controllers.Cache;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>
/// A change of another kind queues the keys a map function names (controller-runtime's
/// <c>EnqueueRequestsFromMapFunc</c>): e.g. every Tunnel that references a changed EdgeNode. On an
/// update both the old and the new object are mapped, so references that went away are let go of.
/// </summary>
internal sealed class EnqueueRequestsFromMap<TOther>(IKeySink sink, Func<TOther, IEnumerable<ObjectKey>> map) : IResourceEventHandler<TOther>
{
    public void OnAdd(TOther value) => Enqueue(value);

    public void OnUpdate(TOther oldValue, TOther newValue)
    {
        var keys = new HashSet<ObjectKey>(map(oldValue));
        keys.UnionWith(map(newValue));
        foreach (var key in keys)
        {
            sink.Enqueue(key);
        }
    }

    public void OnDelete(TOther value) => Enqueue(value);

    private void Enqueue(TOther value)
    {
        foreach (var key in map(value))
        {
            sink.Enqueue(key);
        }
    }
}
